"""OCOP stars and targets of a report (`awards.selectors.ocop_target_rows`)."""

from django.utils import timezone

from awards.models import OcopRating, OcopTarget
from awards.selectors import OcopGoal, ocop_as_of, ocop_target_rows
from products.models import AdministrativeUnit

from .area import ReportArea

OCOP_STARS = (5, 4, 3)


def old_province(province: AdministrativeUnit) -> dict:
    return {
        "old_province_id": province.pk,
        "old_province_name": province.name,
        "old_province_full_name": province.full_name,
    }


def ocop_report(area: ReportArea, year_from: int, year_to: int) -> dict:
    """OCOP products by stars at the end of the period (or today), and the targets set for a year of the period,
    each against what its own province reached by the end of its year (or today): an old province's target counts
    the producers registered in it, a province of today's those it has today (as `recognition_targets`). Two
    queries (`awards.selectors.ocop_target_rows`)."""
    today = timezone.localdate()
    targets = OcopTarget.objects.filter(
        province_id__in=area.target_province_ids, year__gte=year_from, year__lte=year_to
    ).select_related("province")
    goals = [
        OcopGoal(
            year=t.year,
            metric=t.metric,
            value=t.value,
            target=t,
            **({} if t.province_id == area.province.pk else old_province(t.province)),
        )
        for t in targets
    ]
    end = ocop_as_of(year_to, today)
    ratings = OcopRating.objects.filter(area.q("product__producer__"))
    rows, measures = ocop_target_rows(ratings, goals, today=today, also=[(end, None)])
    actual = measures.actuals[(end, None)]
    return {
        "as_of": end,
        "by_stars": [(stars, actual.by_stars.get(stars, 0)) for stars in OCOP_STARS],
        "total": sum(actual.by_stars.get(stars, 0) for stars in OCOP_STARS),
        "targets": [
            {
                "target": row.target,
                "label": row.label,
                "province": row.target.province,
                "year": row.year,
                "as_of": row.as_of,
                "value": row.value,
                "actual": row.actual,
                "is_share": row.is_share,
                "reached": row.met,
            }
            for row in rows
        ],
    }
