"""How a dossier's score is computed from its members' sheets. Pure functions on Decimal totals."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

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
    n, middle = len(values), len(values) // 2
    mean = sum(values) / n
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    stdev = population_stdev(values)
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


def population_stdev(values: list[Decimal]) -> Decimal:
    """The population standard deviation, as statistics.pstdev gives it for totals of at most two decimals, at
    a fraction of its cost (it works through exact fractions; a round's results page computes 500 of these):
    sqrt(n·Σx² − (Σx)²) / n, exact before the square root."""
    n = len(values)
    if n < 2:
        return Decimal(0)
    with localcontext() as context:
        context.prec = 60  # Σx² and (Σx)² exactly, for any realistic total
        spread = n * sum(v * v for v in values) - sum(values) ** 2
    return spread.sqrt() / n if spread > 0 else Decimal(0)


def rank_key(score: Decimal | None, group_scores: list[Decimal]):
    """Sort key for a ranking: the aggregate first, then ties broken by criterion group 1, then group 2, …
    (higher first)."""
    return (score or Decimal(0), *group_scores)
