"""Councils and accepted dossiers for the member view and browser tests, built through the services exactly as the
staff pages build them."""

import datetime
from decimal import Decimal

from awards import services
from awards.enums import CouncilRole
from awards.models import CriteriaSheet, Criterion, Nomination
from portal.accounts.enums import Role
from products.models import ProductGroup
from tests import factories

from .nomination_helpers import ready_product, submitted

# Phụ lục 4 (migration 0006): ten sub-criteria in four groups, 100 points.
LEAF_COUNT = 10


def default_sheet() -> CriteriaSheet:
    return CriteriaSheet.objects.get(code="phu-luc-4", version=1)


def leaves(council) -> list[Criterion]:
    return list(Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True).order_by("order"))


def accepted(round_, producer, producer_account, staff, name="Lạp sườn Tâm Hòa", group_code="2") -> Nomination:
    """A dossier sent by the producer and accepted by the department: the state in which the council scores it."""
    nomination = submitted(round_, ready_product(producer, name, group_code=group_code), producer_account)
    services.nomination_accept(nomination=nomination, actor=staff)
    return Nomination.objects.get(pk=nomination.pk)


def council_for(round_, staff, **extra):
    return services.council_create(
        round_=round_,
        actor=staff,
        name=f"Hội đồng bình chọn — {round_.title}",
        decision_number="15/QĐ-SCT",
        decision_date=datetime.date(2026, 11, 1),
        signer="Giám đốc Sở",
        criteria_sheet=default_sheet(),
        **extra,
    )


def seat(council, staff, *, user=None, full_name="Thành viên Hội đồng", groups=(), **extra):
    """A jury seat for `user` (a new member account when None); `groups` are product group codes."""
    return services.council_member_add(
        council=council,
        actor=staff,
        user=user or factories.UserFactory(role=Role.MEMBER, full_name=full_name),
        role=extra.pop("role", CouncilRole.MEMBER),
        groups=list(ProductGroup.objects.filter(code__in=groups)),
        **extra,
    )


def spread(council, per_group: dict) -> dict[int, Decimal]:
    """Each group's points spread over its sub-criteria in order, each filled up to its maximum:
    {criterion pk: points}."""
    remaining = {code: Decimal(value) for code, value in per_group.items()}
    points = {}
    for leaf in (
        Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True)
        .select_related("parent")
        .order_by("order")
    ):
        take = min(leaf.max_points, remaining[leaf.parent.code])
        remaining[leaf.parent.code] -= take
        points[leaf.pk] = take
    return points


def sheet_post(points: dict, *, comment="", submit=False, confirm=True) -> dict:
    """The sheet page's POST for {criterion pk: points} (None leaves a field empty); a submission is the one
    of the confirmation page (`confirm=False`: the sheet page's own button, which leads to that page)."""
    data = {f"c{pk}": "" if value is None else str(value) for pk, value in points.items()}
    data["comment"] = comment
    data["submit" if submit else "save"] = ""
    if submit and confirm:
        data["confirm"] = "1"
    return data


def decision_post(nominations, **extra) -> dict:
    """The results page's recognition decision, filled in for a Cao Bằng round, recognising `nominations` (dossiers
    or the raw values of their boxes)."""
    return {
        "number": "125/QĐ-UBND",
        "date": "15/12/2026",
        "signer_title": "Chủ tịch",
        "signer_name": "Nguyễn Văn A",
        "issuing_body": factories.organization("Cao Bằng").pk,
        "nominations": [getattr(n, "pk", n) for n in nominations],
        **extra,
    }
