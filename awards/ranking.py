"""How a round's scored dossiers are ranked and which pass: a pure function on plain data.

awards.selectors.scoring.round_results loads the data (a fixed number of queries) and calls rank_dossiers();
tests/awards/test_ranking.py checks the ranking on plain data, without a database."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .aggregation import Aggregate, aggregate, rank_key


@dataclass(frozen=True)
class SheetSummary:
    """A submitted sheet as the results need it (total, member, pass), without loading the model instance."""

    pk: int
    nomination_id: int
    member: Any  # the CouncilMember; any hashable object with a pk in tests
    total: Decimal
    pass_no: int

    @property
    def member_id(self) -> int:
        return self.member.pk


@dataclass(frozen=True)
class RankingRules:
    """The council's and the round's settings that decide a dossier's score and whether it passes.

    `forced_pass` makes every dossier judged on that pass (closing the first pass uses it); otherwise, with a
    two-pass council whose first pass is closed, a short-listed dossier is judged on its second-pass sheets."""

    aggregate_method: str
    trim_from: int
    outlier_points: Decimal
    min_score: Decimal
    passes: int = 1
    current_pass: int = 1
    pass_two_cut: Decimal = Decimal(0)
    quota_per_province: int | None = None
    forced_pass: int | None = None

    @property
    def two_pass(self) -> bool:
        return self.passes == 2

    def pass_of(self, short_listed: bool) -> int:
        """The pass whose sheets judge a dossier."""
        if self.forced_pass is not None:
            return self.forced_pass
        return 2 if self.two_pass and self.current_pass == 2 and short_listed else 1

    @property
    def first_pass_ranking(self) -> bool:
        """Whether dossiers judged on the first pass are ranked against the cut of a two-pass council."""
        return self.two_pass and self.forced_pass is None


@dataclass(frozen=True)
class DossierScores:
    """One dossier's counted sheets and points per criterion group, with what the ranking needs to know of it.

    `nomination` is carried through to the row untouched; `group` and `group_order` are its product group (rows
    are ranked within a group, groups in their order) and `province` its producer's province (for the quota)."""

    nomination: Any
    group: Any
    group_order: int
    province: Any
    sheets: list[SheetSummary]
    # None: not read yet; rank_dossiers asks its `load_points` for them when the dossier ties with another.
    group_points: dict[str, Decimal] | None = field(default_factory=dict)
    short_listed: bool = False


@dataclass(frozen=True)
class ResultRow:
    """A scored dossier of the round's results: its statistics, its rank within its product group, and whether
    it passes (with the reason)."""

    nomination: Any
    result: Aggregate
    sheets: list[SheetSummary]
    group_means: list[Decimal]  # empty when they were not read: the dossier ties with no other (see rank_dossiers)
    outlier_ids: set
    pass_no: int
    short_listed: bool
    rank: int
    passes: bool
    reason: str


def _group_means(dossier: DossierScores, group_codes: list[str], points: dict | None) -> list[Decimal]:
    """Points per criterion group averaged over the dossier's counted sheets, in the order of `group_codes` (none
    when its `points` were not read)."""
    count = len(dossier.sheets)
    if not count:
        return [Decimal(0) for _code in group_codes]
    if points is None:
        return []
    return [(points.get(code) or Decimal(0)) / count for code in group_codes]


def _tied(dossiers, results) -> set:
    """The nomination pks of the scored dossiers whose product group and score another dossier shares: the only
    ones the criterion groups rank."""
    keys = [(d.group, rank_key(r.score, [])) for d, r in zip(dossiers, results, strict=True)]
    shared = Counter(keys)
    return {d.nomination.pk for d, key in zip(dossiers, keys, strict=True) if shared[key] > 1 and d.sheets}


def _verdict(score, pass_no: int, rules: RankingRules, province_taken: int) -> tuple[bool, str]:
    """Whether a dossier with this score passes, and why; `province_taken` counts the dossiers of its province
    that already pass (ranked higher)."""
    cut = format(rules.pass_two_cut.normalize(), "f")
    if score is None:
        return False, _("No submitted sheet yet.")
    if rules.first_pass_ranking and pass_no == 1 and rules.current_pass == 1:
        reason = (
            _("Reaches the cut of %(cut)s: goes to the field visit and the second pass.")
            if score >= rules.pass_two_cut
            else _("Below the cut of %(cut)s for the second pass.")
        )
        return False, reason % {"cut": cut}
    if rules.first_pass_ranking and pass_no == 1:
        return False, _("Below the cut of %(cut)s for the second pass.") % {"cut": cut}
    if score < rules.min_score:
        return False, _("Below the minimum score of %(min)s.") % {"min": format(rules.min_score.normalize(), "f")}
    if rules.quota_per_province and province_taken >= rules.quota_per_province:
        return False, _("Over the province's quota of %(n)d.") % {"n": rules.quota_per_province}
    return True, _("Reaches the minimum score.")


def rank_dossiers(
    dossiers: list[DossierScores], group_codes: list[str], rules: RankingRules, load_points: Callable | None = None
) -> list[ResultRow]:
    """Every dossier aggregated, ranked within its product group (the aggregate, ties broken by criterion group
    1, then 2, …), then the minimum score and the per-province quota applied in rank order.

    A dossier whose `group_points` are None has them read by `load_points(nomination pks)` ({pk: {group code:
    points}}), called once, for the dossiers that tie on their score only."""
    results = [
        aggregate(
            {s.member: s.total for s in dossier.sheets},
            method=rules.aggregate_method,
            trim_from=rules.trim_from,
            outlier_points=rules.outlier_points,
        )
        for dossier in dossiers
    ]
    loaded = {}
    if load_points is not None:
        tied = _tied(dossiers, results)
        loaded = {pk: {} for pk in tied} | load_points(tied)
    scored = []
    for dossier, result in zip(dossiers, results, strict=True):
        points = dossier.group_points if dossier.group_points is not None else loaded.get(dossier.nomination.pk)
        scored.append((dossier, result, _group_means(dossier, group_codes, points)))
    scored.sort(key=lambda item: (item[0].group_order, [-x for x in rank_key(item[1].score, item[2])]))
    rows, taken, rank, last_group = [], {}, 0, None
    for dossier, result, group_means in scored:
        rank = 1 if dossier.group != last_group else rank + 1
        last_group = dossier.group
        pass_no = rules.pass_of(dossier.short_listed)
        passes, reason = _verdict(result.score, pass_no, rules, taken.get(dossier.province, 0))
        if passes:
            taken[dossier.province] = taken.get(dossier.province, 0) + 1
        rows.append(
            ResultRow(
                nomination=dossier.nomination,
                result=result,
                sheets=dossier.sheets,
                group_means=group_means,
                outlier_ids={m.pk for m in result.outliers},
                pass_no=pass_no,
                short_listed=dossier.short_listed,
                rank=rank,
                passes=passes,
                reason=reason,
            )
        )
    return rows
