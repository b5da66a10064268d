"""The khuyến công implementation report and the fairs of a report."""

from django.db.models import Count, Max, Min, Sum

from extension_projects.enums import FairLevel, FundingSource, OutputField
from extension_projects.models import Disbursement, Fair, FairParticipation, Project, ProjectFunding
from extension_projects.selectors import COUNTED_AMOUNT, project_summary

from .area import ReportArea


# -- khuyến công ------------------------------------------------------------------------------------------------------
def extension_report(area: ReportArea, year_from: int, year_to: int) -> dict:
    """Projects of the area with a plan year in the period: the province summary (totals, sources, activity types,
    outputs, flagged projects), projects per year and activity type, funding approved / disbursed / counted per
    source and per year, the data-quality notes, and the trade fairs. About a dozen queries in all."""
    projects = Project.objects.filter(area.q(), plan_year__gte=year_from, plan_year__lte=year_to)
    keys = projects.values("pk")
    summary = project_summary(projects)
    years = list(range(year_from, year_to + 1))
    by_year_type = _by_year_and_type(projects, summary, years)
    fundings = ProjectFunding.objects.filter(project__in=keys).order_by()
    sources = _sources(fundings, keys, summary)
    budget = [s.value for s in FundingSource if s != FundingSource.COUNTERPART]
    per_year_projects = {row["year"]: row["total"] for row in by_year_type["rows"]}
    return {
        "summary": summary,
        "years": years,
        "by_year_type": by_year_type,
        "sources": sources,
        "source_totals": {name: sum(row[name] for row in sources) for name in ("approved", "disbursed", "amount")},
        "budget_total": sum(row["amount"] for row in sources if row["source"] in budget),
        "by_year_source": _by_year_and_source(fundings, years, per_year_projects),
        "source_labels": [s.label for s in FundingSource],
        "outputs": [(f.value, f.label) for f in OutputField],
        "notes": _data_notes(projects),
        "fairs": fair_report(area, year_from, year_to),
    }


def _by_year_and_type(projects, summary: dict, years: list[int]) -> dict:
    type_year = (
        projects.order_by()
        .values("plan_year", "activity_type_id")
        .annotate(n=Count("pk"))
        .values_list("plan_year", "activity_type_id", "n")
    )
    per_type_year = {(y, t): n for y, t, n in type_year}
    types = [(row["activity_type"], row["name"], row["code"]) for row in summary["by_type"]]
    return {
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


def _sources(fundings, keys, summary: dict) -> list[dict]:
    """Per source: projects funded, approved, disbursed and counted (settled, else approved) amounts."""
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
    return sources


def _by_year_and_source(fundings, years: list[int], per_year_projects: dict) -> list[dict]:
    year_money = {
        (row["project__plan_year"], row["source"]): row["amount"]
        for row in fundings.values("project__plan_year", "source").annotate(amount=Sum(COUNTED_AMOUNT))
    }
    return [
        {
            "year": y,
            "projects": per_year_projects[y],
            "amounts": [year_money.get((y, s.value), 0) for s in FundingSource],
            "cells": [{"label": s.label, "amount": year_money.get((y, s.value), 0)} for s in FundingSource],
            "total": sum(year_money.get((y, s.value), 0) for s in FundingSource),
        }
        for y in years
    ]


def _data_notes(projects) -> list[dict]:
    return [
        {"note": row["data_quality_note"], "projects": row["n"], "first": row["first"], "last": row["last"]}
        for row in projects.exclude(data_quality_note="")
        .order_by()
        .values("data_quality_note")
        .annotate(n=Count("pk"), first=Min("code"), last=Max("code"))
        .order_by("data_quality_note")
    ]


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
