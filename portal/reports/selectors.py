"""Reads of the periodic reports a department sends up: the SPCNNTTB recognitions summary (with targets vs actual
and OCOP stars) and the khuyến công implementation report, for one province and a period of years.

A report's area is a province of today (with the old provinces merged into it on 1 July 2025) or one old province
as it was. Every function here runs a fixed number of aggregate queries, whatever the number of records."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import OcopTargetMetric
from awards.models import Level, OcopRating, OcopTarget, Recognition, RecognitionTarget
from awards.selectors import OcopActual, ocop_latest_only
from extension_projects.enums import FairLevel, FundingSource, OutputField
from extension_projects.models import Disbursement, Fair, FairParticipation, Project, ProjectFunding
from extension_projects.selectors import COUNTED_AMOUNT, project_summary
from portal.core.access import province_scope
from products.enums import ProducerKind
from products.models import AdministrativeUnit, ProductGroup
from products.search import fold


def lower_first(text: str) -> str:
    """'Tỉnh Hà Giang' -> 'tỉnh Hà Giang' (inside a sentence)."""
    return text[:1].lower() + text[1:]


# -- the area and its scope -----------------------------------------------------------------------------------------
@dataclass
class ReportArea:
    """The province a report covers. `merged` lists the old provinces of a province of today."""

    province: AdministrativeUnit
    merged: list = field(default_factory=list)

    @property
    def is_current(self) -> bool:
        return self.province.is_current

    @property
    def today_id(self) -> int:
        return self.province.pk if self.province.is_current else self.province.successor_id

    @property
    def label(self) -> str:
        """'Tỉnh Tuyên Quang (gồm tỉnh Hà Giang cũ)' or 'Tỉnh Hà Giang (trước ngày 01/07/2025)'."""
        if not self.is_current:
            return _("%(name)s (as it was before 1 July 2025)") % {"name": self.province.full_name}
        others = [lower_first(p.full_name) for p in self.merged if p.name != self.province.name]
        if not others:
            return self.province.full_name
        return _("%(name)s (including the former %(merged)s)") % {
            "name": self.province.full_name,
            "merged": ", ".join(others),
        }

    @property
    def today(self) -> AdministrativeUnit:
        return self.province if self.is_current else self.province.successor

    @property
    def place(self) -> str:
        """The place name of the date line: today's province."""
        return self.today.name

    @property
    def target_province_ids(self) -> list[int]:
        return [self.province.pk, *(p.pk for p in self.merged)]

    def q(self, path: str = "") -> Q:
        """Filter on a model with `province` (as recorded) and `current_province` (today) at `path`."""
        if self.is_current:
            return Q(**{f"{path}current_province_id": self.province.pk})
        return Q(**{f"{path}province_id": self.province.pk})


def provinces_for_reports(user) -> list[AdministrativeUnit]:
    """The provinces a user may report on: a department officer its province of today and the old provinces
    merged into it; a national account every province. Today's provinces first, then the old ones, by name."""
    scope = province_scope(user)
    return list(AdministrativeUnit.objects.provinces(scope, before_reform=True).select_related("successor"))


def report_area(province: AdministrativeUnit) -> ReportArea:
    merged = []
    if province.is_current:
        merged = sorted(
            AdministrativeUnit.objects.filter(level="province", is_current=False, successor=province),
            key=lambda unit: fold(unit.name),
        )
    return ReportArea(province=province, merged=merged)


def may_read_province(user, province: AdministrativeUnit) -> bool:
    return province_scope(user).includes(province.pk if province.is_current else province.successor_id)


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


OCOP_STARS = (5, 4, 3)


def _ocop_actual(area: ReportArea, as_of: datetime.date) -> OcopActual:
    """What the area's products reach on a day (as `awards.selectors.ocop_actual`, for any area): two queries."""
    valid = ocop_latest_only(OcopRating.objects.filter(area.q("product__producer__")), as_of=as_of).filter(
        valid_until__gte=as_of
    )
    by_stars = dict(valid.values_list("stars").annotate(n=Count("product_id", distinct=True)).order_by())
    kinds = dict(
        valid.filter(stars__gte=3)
        .values_list("product__producer__kind")
        .annotate(n=Count("product__producer_id", distinct=True))
        .order_by()
    )
    return OcopActual(
        as_of=as_of,
        by_stars=by_stars,
        subjects=sum(kinds.values()),
        cooperatives=kinds.get(ProducerKind.COOPERATIVE, 0),
        smes=kinds.get(ProducerKind.ENTERPRISE, 0),
    )


def _ocop_target_label(area: ReportArea, target: OcopTarget) -> str:
    """The metric, and for the target of an old province merged into the area, which one."""
    label = target.get_metric_display()
    if target.province_id == area.province.pk:
        return str(label)
    return _("%(metric)s – former %(province)s") % {
        "metric": label,
        "province": lower_first(target.province.full_name),
    }


def ocop_report(area: ReportArea, year_from: int, year_to: int) -> dict:
    """OCOP products by stars at the end of the period (or today), and the targets set for a year of the period,
    each against what its own province reached by the end of its year (or today): an old province's target counts
    the producers registered in it, a province of today's those it has today (as `recognition_targets`). Queries:
    1 + 2 per distinct (target province, year)."""
    today = timezone.localdate()
    targets = list(
        OcopTarget.objects.filter(
            province_id__in=area.target_province_ids, year__gte=year_from, year__lte=year_to
        ).select_related("province")
    )
    order = {metric: i for i, metric in enumerate(OcopTargetMetric.values)}
    targets.sort(key=lambda t: (t.year, not t.province.is_current, fold(t.province.name), order[t.metric]))
    end = min(datetime.date(year_to, 12, 31), today)
    actuals = {(area.province.pk, end): _ocop_actual(area, end)}
    rows = []
    for target in targets:
        as_of = min(datetime.date(target.year, 12, 31), today)
        key = (target.province_id, as_of)
        if key not in actuals:
            actuals[key] = _ocop_actual(ReportArea(province=target.province), as_of)
        value = actuals[key].value(target.metric)
        is_share = target.metric in (OcopTargetMetric.COOPERATIVE_SHARE, OcopTargetMetric.SME_SHARE)
        rows.append(
            {
                "target": target,
                "label": _ocop_target_label(area, target),
                "province": target.province,
                "year": target.year,
                "as_of": as_of,
                "value": target.value,
                "actual": value,
                "is_share": is_share,
                "reached": value is not None and value >= target.value,
            }
        )
    actual = actuals[(area.province.pk, end)]
    return {
        "as_of": end,
        "by_stars": [(stars, actual.by_stars.get(stars, 0)) for stars in OCOP_STARS],
        "total": sum(actual.by_stars.get(stars, 0) for stars in OCOP_STARS),
        "targets": rows,
    }


# -- khuyến công ------------------------------------------------------------------------------------------------------
def extension_report(area: ReportArea, year_from: int, year_to: int) -> dict:
    """Projects of the area with a plan year in the period: the province summary (totals, sources, activity types,
    outputs, flagged projects), projects per year and activity type, funding approved / disbursed / counted per
    source and per year, the data-quality notes, and the trade fairs. About a dozen queries in all."""
    projects = Project.objects.filter(area.q(), plan_year__gte=year_from, plan_year__lte=year_to)
    keys = projects.values("pk")
    summary = project_summary(projects)
    years = list(range(year_from, year_to + 1))

    type_year = (
        projects.order_by()
        .values("plan_year", "activity_type_id")
        .annotate(n=Count("pk"))
        .values_list("plan_year", "activity_type_id", "n")
    )
    per_type_year = {(y, t): n for y, t, n in type_year}
    types = [(row["activity_type"], row["name"], row["code"]) for row in summary["by_type"]]
    by_year_type = {
        "types": [{"name": name, "code": code} for _pk, name, code in types],
        "rows": [
            {
                "year": y,
                "counts": [per_type_year.get((y, pk), 0) for pk, _n, _c in types],
                "total": sum(per_type_year.get((y, pk), 0) for pk, _n, _c in types),
            }
            for y in years
        ],
        "totals": [row["projects"] for row in summary["by_type"]],
        "total": summary["projects"],
        "by_type": [
            {
                "name": name,
                "code": code,
                "counts": [per_type_year.get((y, pk), 0) for y in years],
                "total": sum(per_type_year.get((y, pk), 0) for y in years),
            }
            for pk, name, code in types
        ],
    }

    fundings = ProjectFunding.objects.filter(project__in=keys).order_by()
    money = {row["source"]: row for row in fundings.values("source").annotate(approved_sum=Sum("approved"))}
    paid = dict(
        Disbursement.objects.filter(project__in=keys)
        .order_by()
        .values("source")
        .annotate(s=Sum("amount"))
        .values_list("source", "s")
    )
    counted = {row["source"]: row for row in summary["sources"]}
    sources = []
    for source in FundingSource:
        row = money.get(source.value) or {}
        sources.append(
            {
                "source": source.value,
                "label": source.label,
                "projects": counted[source.value]["projects"],
                "approved": row.get("approved_sum") or 0,
                "disbursed": paid.get(source.value) or 0,
                "amount": counted[source.value]["amount"],
            }
        )
    source_totals = {name: sum(row[name] for row in sources) for name in ("approved", "disbursed", "amount")}
    budget = [s.value for s in FundingSource if s != FundingSource.COUNTERPART]

    year_money = {
        (row["project__plan_year"], row["source"]): row["amount"]
        for row in fundings.values("project__plan_year", "source").annotate(amount=Sum(COUNTED_AMOUNT))
    }
    per_year_projects = {y: sum(per_type_year.get((y, pk), 0) for pk, _n, _c in types) for y in years}
    by_year_source = [
        {
            "year": y,
            "projects": per_year_projects[y],
            "amounts": [year_money.get((y, s.value), 0) for s in FundingSource],
            "cells": [{"label": s.label, "amount": year_money.get((y, s.value), 0)} for s in FundingSource],
            "total": sum(year_money.get((y, s.value), 0) for s in FundingSource),
        }
        for y in years
    ]

    notes = [
        {"note": row["data_quality_note"], "projects": row["n"], "first": row["first"], "last": row["last"]}
        for row in projects.exclude(data_quality_note="")
        .order_by()
        .values("data_quality_note")
        .annotate(n=Count("pk"), first=Min("code"), last=Max("code"))
        .order_by("data_quality_note")
    ]
    return {
        "summary": summary,
        "years": years,
        "by_year_type": by_year_type,
        "sources": sources,
        "source_totals": source_totals,
        "budget_total": sum(row["amount"] for row in sources if row["source"] in budget),
        "by_year_source": by_year_source,
        "source_labels": [s.label for s in FundingSource],
        "outputs": [(f.value, f.label) for f in OutputField],
        "notes": notes,
        "fairs": fair_report(area, year_from, year_to),
    }


def fair_report(area: ReportArea, year_from: int, year_to: int) -> dict:
    """Trade fairs the area's department sent producers to (by the fair's first day), per level: fairs,
    participations, distinct producers, booths and support. Two queries."""
    fairs = Fair.objects.filter(area.q(), starts_on__year__gte=year_from, starts_on__year__lte=year_to)
    fair_counts = dict(fairs.order_by().values("level").annotate(n=Count("pk")).values_list("level", "n"))
    participations = FairParticipation.objects.filter(fair__in=fairs.values("pk")).order_by()
    part_rows = {
        row["fair__level"]: row
        for row in participations.values("fair__level").annotate(
            n=Count("pk"),
            producers=Count("producer_id", distinct=True),
            booths=Sum("booths"),
            support=Sum("support_amount"),
        )
    }
    totals = participations.aggregate(producers=Count("producer_id", distinct=True))
    rows = []
    for level in FairLevel:
        part = part_rows.get(level.value) or {}
        rows.append(
            {
                "level": level.value,
                "label": level.label,
                "fairs": fair_counts.get(level.value, 0),
                "participations": part.get("n") or 0,
                "producers": part.get("producers") or 0,
                "booths": part.get("booths") or 0,
                "support": part.get("support") or 0,
            }
        )
    return {
        "rows": rows,
        "fairs": sum(r["fairs"] for r in rows),
        "participations": sum(r["participations"] for r in rows),
        "producers": totals["producers"] or 0,
        "booths": sum(r["booths"] for r in rows),
        "support": sum(r["support"] for r in rows),
    }
