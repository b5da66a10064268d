"""How a dossier's score is computed from its members' sheets. Pure functions on Decimal totals."""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .enums import AggregateMethod

TWO_PLACES = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Aggregate:
    count: int
    mean: Decimal | None = None
    median: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    stdev: Decimal | None = None
    score: Decimal | None = None
    method: str = AggregateMethod.MEAN
    trimmed: bool = False
    outliers: list = field(default_factory=list)


def aggregate(
    totals: dict, *, method: str = AggregateMethod.MEAN, trim_from: int = 5, outlier_points: Decimal = Decimal("15")
) -> Aggregate:
    """`totals` maps a member (any key) to the total of its submitted sheet.

    mean: the average of all sheets. trimmed_mean: with at least `trim_from` sheets, the highest and the lowest
    are dropped before averaging (with fewer, the plain mean). A member is an outlier when its total differs from
    the median by more than `outlier_points`. All figures are rounded half up to 2 decimals at the end only."""
    values = [Decimal(v) for v in totals.values()]
    if not values:
        return Aggregate(count=0, method=method)
    ordered = sorted(values)
    mean = sum(values) / len(values)
    median = Decimal(statistics.median(ordered))
    stdev = Decimal(statistics.pstdev(values)) if len(values) > 1 else Decimal(0)
    trimmed = method == AggregateMethod.TRIMMED_MEAN and len(values) >= trim_from
    kept = ordered[1:-1] if trimmed else ordered
    score = sum(kept) / len(kept)
    outliers = [key for key, v in totals.items() if abs(Decimal(v) - median) > outlier_points]
    return Aggregate(
        count=len(values),
        mean=_round(mean),
        median=_round(median),
        minimum=ordered[0],
        maximum=ordered[-1],
        stdev=_round(stdev),
        score=_round(score),
        method=method,
        trimmed=trimmed,
        outliers=outliers,
    )


def rank_key(score: Decimal | None, group_scores: list[Decimal]):
    """Sort key for a ranking: the aggregate first, then ties broken by criterion group 1, then group 2, …
    (higher first)."""
    return (score or Decimal(0), *group_scores)
