"""Reads of recognitions and certificates."""

from django.db.models import Count, F, QuerySet

from portal.core.access import can_read_lists, is_staff, province_scope, scoped
from portal.core.collation import vietnamese_key
from products.models import AdministrativeUnit

from ..models import (
    Level,
    Recognition,
)

PROVINCE_TODAY, PROVINCE_RECORDED = "today", "recorded"


def recognitions_for_staff(user) -> QuerySet[Recognition]:
    """A province's staff see the recognitions of producers in their province today; the ministry agency and
    superusers see every province."""
    if not can_read_lists(user):
        return Recognition.objects.none()
    return scoped(Recognition.objects.all(), user)


def recognition_list(user) -> QuerySet[Recognition]:
    return (
        recognitions_for_staff(user)
        .select_related(
            "level",
            "product__group",
            "product__producer__province",
            "product__producer__current_province",
        )
        .order_by("-year", "level__rank", "product__name", "id")
    )


def recognition_levels() -> QuerySet[Level]:
    """The award levels in chain order; district (until 30/06/2025) before commune (from 01/07/2025)."""
    return Level.objects.filter(programme__code="spcnnttb").order_by("rank", F("valid_from").asc(nulls_first=True))


def recognition_summary(qs: QuerySet[Recognition], *, basis: str, user) -> list[dict]:
    """Counts per province and level in one aggregate query. `basis` "today" groups by today's province;
    "recorded" by the province as recorded (an old province before the 1 July 2025 reform), so a merged
    province shows the provinces it absorbed as separate rows. Provinces the user always sees (its own, or every
    province of today for a superuser) appear with zeros."""
    field = "product__producer__current_province" if basis == PROVINCE_TODAY else "product__producer__province"
    rows: dict[int, dict] = {}

    def row_for(unit_id, name, is_current, successor):
        return rows.setdefault(
            unit_id,
            {"id": unit_id, "name": name, "is_current": is_current, "successor": successor, "counts": {}, "total": 0},
        )

    counts = (
        qs.order_by()
        .values(field, f"{field}__name", f"{field}__is_current", f"{field}__successor__name", "level__code")
        .annotate(n=Count("id"))
    )
    for item in counts:
        row = row_for(
            item[field], item[f"{field}__name"], item[f"{field}__is_current"], item[f"{field}__successor__name"]
        )
        row["counts"][item["level__code"]] = row["counts"].get(item["level__code"], 0) + item["n"]
        row["total"] += item["n"]
    province = province_scope(user).province_or_none
    expected = AdministrativeUnit.objects.filter(level="province")
    if province is not None:
        expected = expected.filter(pk=province) if basis == PROVINCE_TODAY else expected.filter(successor_id=province)
    elif basis == PROVINCE_TODAY:
        expected = expected.filter(is_current=True)
    else:
        expected = expected.none()
    for unit in expected.values("id", "name", "is_current", "successor__name"):
        row_for(unit["id"], unit["name"], unit["is_current"], unit["successor__name"])
    return sorted(rows.values(), key=lambda r: (vietnamese_key(r["name"]), r["is_current"]))


# -- certificates ---------------------------------------------------------------------------------------------
def certificates_for_staff(user):
    """Certificates a staff member may see: of its province's producers (today's province), or issued for
    recognitions of rounds it manages (a ministry agency: region and national). Superusers see all."""
    from ..models import Certificate

    qs = Certificate.objects.select_related("issuing_body", "recognition__level")
    return scoped(qs, user) if is_staff(user) else qs.none()


def certificates_of_producer(producer):
    """A producer's own certificates, newest first (the replaced and revoked ones too, marked as such)."""
    from ..models import Certificate

    return Certificate.objects.filter(recognition__product__producer=producer).select_related(
        "issuing_body", "recognition__level"
    )
