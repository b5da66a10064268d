"""The SPCNNTTB recognitions summary: recognitions by level, product group and producer kind, and the targets."""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from awards.models import Level, Recognition, RecognitionTarget
from products.enums import ProducerKind
from products.models import ProductGroup

from .area import ReportArea
from .ocop import ocop_report


# -- SPCNNTTB recognitions ------------------------------------------------------------------------------------------
@dataclass
class Tier:
    """The levels of one rank (district before 1 July 2025 and commune after share the lowest rank)."""

    rank: int
    name: str
    codes: list[str]


def level_tiers() -> list[Tier]:
    tiers: dict[int, Tier] = {}
    for level in Level.objects.order_by("rank", F("valid_from").asc(nulls_first=True), "pk"):
        tier = tiers.setdefault(level.rank, Tier(rank=level.rank, name="", codes=[]))
        if level.code not in tier.codes:
            tier.codes.append(level.code)
            tier.name = f"{tier.name} / {level.name}" if tier.name else level.name
    return list(tiers.values())


def _table(rows_by_key: dict, keys: list, tiers: list[Tier]) -> dict:
    """Rows of counts per tier with a total per row and a totals row."""
    rows = []
    for key, label in keys:
        counts = [rows_by_key.get((key, tier.rank), 0) for tier in tiers]
        cells = [{"tier": tier.name, "n": n} for tier, n in zip(tiers, counts, strict=True)]
        rows.append({"key": key, "label": label, "counts": counts, "cells": cells, "total": sum(counts)})
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(tiers))]
    total_cells = [{"tier": tier.name, "n": n} for tier, n in zip(tiers, totals, strict=True)]
    return {"rows": rows, "totals": totals, "total_cells": total_cells, "total": sum(totals)}


def _grouped(qs, key: str) -> dict:
    return {
        (row[key], row["level__rank"]): row["n"]
        for row in qs.order_by().values(key, "level__rank").annotate(n=Count("pk"))
    }


def recognition_report(area: ReportArea, year_from: int, year_to: int, *, with_list: bool = False) -> dict:
    """Recognitions of the area's products (by the producer's province) in the period: per year, product group
    and producer kind, each by level; the targets vs actual; OCOP stars vs targets; optionally the list."""
    tiers = level_tiers()
    recognitions = Recognition.objects.filter(area.q("product__producer__"), year__gte=year_from, year__lte=year_to)
    years = list(range(year_from, year_to + 1))
    by_year = _table(_grouped(recognitions, "year"), [(y, str(y)) for y in years], tiers)
    groups = list(ProductGroup.objects.order_by("order", "code").values_list("pk", "name"))
    by_group = _table(_grouped(recognitions, "product__group_id"), groups, tiers)
    kinds = [(k.value, k.label) for k in ProducerKind]
    by_kind = _table(_grouped(recognitions, "product__producer__kind"), kinds, tiers)
    report = {
        "tiers": tiers,
        "by_year": by_year,
        "by_group": by_group,
        "by_kind": by_kind,
        "targets": recognition_targets(area, year_from, year_to, tiers),
        "ocop": ocop_report(area, year_from, year_to),
        "list": None,
    }
    if with_list:
        report["list"] = list(
            recognitions.select_related("level", "product__group", "product__producer__province").order_by(
                "year", "level__rank", "product__producer__name", "product__name", "pk"
            )
        )
    return report


def recognition_targets(area: ReportArea, year_from: int, year_to: int, tiers: list[Tier]) -> list[dict]:
    """The targets of the area's provinces (today's and the old ones merged into it) that touch the period: the
    whole-period rows and the rows of a year in the period. Actual: recognitions of products whose producer was
    registered in the target's province at a level of the target's rank (district and commune alike), in the
    target's year, or over the target's whole period to date. Two queries."""
    targets = list(
        RecognitionTarget.objects.filter(
            province_id__in=area.target_province_ids, period_start__lte=year_to, period_end__gte=year_from
        )
        .filter(Q(year__isnull=True) | Q(year__gte=year_from, year__lte=year_to))
        .select_related("province", "level")
        .order_by("province__name", "period_start", "period_end", F("year").asc(nulls_first=True), "level__rank")
    )
    if not targets:
        return []
    first = min(t.period_start for t in targets)
    last = max(t.period_end for t in targets)
    rows = (
        Recognition.objects.filter(year__gte=first, year__lte=last)
        .filter(
            Q(product__producer__province_id__in=[t.province_id for t in targets])
            | Q(product__producer__current_province_id__in=[t.province_id for t in targets])
        )
        .order_by()
        .values("product__producer__province_id", "product__producer__current_province_id", "level__rank", "year")
        .annotate(n=Count("pk"))
    )
    rows = list(rows)
    this_year = timezone.localdate().year
    result = []
    for target in targets:
        start, end = (target.year, target.year) if target.year else (target.period_start, target.period_end)
        key = (
            "product__producer__current_province_id" if target.province.is_current else "product__producer__province_id"
        )
        actual = sum(
            r["n"]
            for r in rows
            if r[key] == target.province_id and r["level__rank"] == target.level.rank and start <= r["year"] <= end
        )
        tier = next((t for t in tiers if t.rank == target.level.rank), None)
        result.append(
            {
                "target": target,
                "province": target.province,
                "period": f"{target.period_start}–{target.period_end}",
                "when": str(target.year) if target.year else f"{target.period_start}–{target.period_end}",
                "level": tier.name if tier else target.level.name,
                "count": target.count,
                "actual": actual,
                "percent": round(actual * 100 / target.count) if target.count else None,
                "reached": actual >= target.count,
                "ongoing": end >= this_year,
            }
        )
    return result
