"""The ranking of a round's results on plain data: no database."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from awards.enums import AggregateMethod
from awards.ranking import DossierScores, RankingRules, SheetSummary, rank_dossiers

RULES = RankingRules(
    aggregate_method=AggregateMethod.MEAN, trim_from=5, outlier_points=Decimal(15), min_score=Decimal(70)
)


@dataclass(frozen=True)
class Member:
    pk: int


MEMBERS = [Member(pk) for pk in (1, 2, 3)]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def dossier(name, totals, *, group=1, province="Cao Bằng", points=None, short_listed=False, pass_no=1):
    sheets = [
        SheetSummary(pk=i, nomination_id=0, member=MEMBERS[i], total=Decimal(t), pass_no=pass_no)
        for i, t in enumerate(totals)
    ]
    return DossierScores(
        nomination=name,
        group=group,
        group_order=group,
        province=province,
        sheets=sheets,
        group_points={code: Decimal(p) for code, p in (points or {}).items()},
        short_listed=short_listed,
    )


def test_ranks_within_each_group_and_breaks_ties_by_criterion_group_one():
    rows = rank_dossiers(
        [
            dossier("a", [80], points={"1": 30}),
            dossier("b", [80], points={"1": 40}),
            dossier("c", [90], group=2),
            dossier("d", [69]),
        ],
        ["1", "2"],
        RULES,
    )
    assert [(r.nomination, r.rank, r.passes) for r in rows] == [
        ("b", 1, True),
        ("a", 2, True),
        ("d", 3, False),
        ("c", 1, True),
    ]
    assert rows[0].group_means == [Decimal(40), Decimal(0)]
    assert rows[2].reason == "Below the minimum score of 70."


def test_the_quota_per_province_applies_in_rank_order():
    rules = RankingRules(**{**RULES.__dict__, "quota_per_province": 1})
    rows = rank_dossiers([dossier("a", [81]), dossier("b", [86]), dossier("c", [75], province="Cà Mau")], [], rules)
    assert [(r.nomination, r.passes) for r in rows] == [("b", True), ("a", False), ("c", True)]
    assert rows[1].reason == "Over the province's quota of 1."


def test_a_dossier_without_sheets_does_not_pass():
    (row,) = rank_dossiers([dossier("a", [])], ["1"], RULES)
    assert (row.result.count, row.passes, row.reason, row.group_means) == (
        0,
        False,
        "No submitted sheet yet.",
        [Decimal(0)],
    )


def test_outliers_are_the_members_far_from_the_median():
    (row,) = rank_dossiers([dossier("a", [80, 82, 50])], [], RULES)
    assert row.outlier_ids == {3}


def test_first_pass_of_two_sends_to_the_field_visit_or_not():
    rules = RankingRules(**{**RULES.__dict__, "passes": 2, "current_pass": 1, "pass_two_cut": Decimal(70)})
    rows = rank_dossiers([dossier("a", [75]), dossier("b", [60])], [], rules)
    assert [(r.passes, r.pass_no) for r in rows] == [(False, 1), (False, 1)]
    assert rows[0].reason == "Reaches the cut of 70: goes to the field visit and the second pass."
    assert rows[1].reason == "Below the cut of 70 for the second pass."


def test_second_pass_judges_the_short_listed_only():
    rules = RankingRules(**{**RULES.__dict__, "passes": 2, "current_pass": 2, "pass_two_cut": Decimal(70)})
    rows = rank_dossiers([dossier("a", [75], short_listed=True, pass_no=2), dossier("b", [90])], [], rules)
    assert [(r.nomination, r.pass_no, r.passes) for r in rows] == [("b", 1, False), ("a", 2, True)]
    assert rows[0].reason == "Below the cut of 70 for the second pass."
    assert rules.pass_of(True) == 2
    assert RankingRules(**{**rules.__dict__, "forced_pass": 1}).pass_of(True) == 1
