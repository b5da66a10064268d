"""The recognitions recorded from the provinces' archives, up to the published totals of DOMAIN §6."""

import random

from django.core.management.base import CommandError

from products.models import Product

from . import registry as data
from .producers import old_province


# -- published results: recognitions recorded from the provinces' archives
def load_recognitions() -> int:
    """The published totals of DOMAIN §6 per province as recorded: the named products' recognitions, then
    generated products (by id) up to each level's total, counting those the portal's decisions already made.
    Written with bulk_create (hundreds of rows); skipped when the archive rows exist."""
    from awards.enums import RecognitionSource
    from awards.models import Level, Programme, Recognition

    if Recognition.objects.filter(source=RecognitionSource.ARCHIVE, recorded_by__isnull=True).exists():
        return 0
    programme = Programme.objects.get(code="spcnnttb")
    levels = {level.code: level for level in Level.objects.filter(programme=programme).select_related("programme")}
    tax_codes = {row[0]: row[7] for row in data.NAMED_PRODUCERS}
    named_by_province = {}
    for key, product_name, chain in data.NAMED_RECOGNITIONS:
        product = Product.objects.select_related("producer__province").get(
            producer__tax_code=tax_codes[key], name=product_name
        )
        named_by_province.setdefault(product.producer.province.name, []).append((product, chain))
    rows = []
    for province_name, plan in data.PUBLISHED_RECOGNITIONS.items():
        old = old_province(province_name)
        chains = named_by_province.get(province_name, []) + generated_chains(old, plan, named_by_province)
        for product, chain in chains:
            rows += [archive_recognition(product, levels[code], year) for code, year in chain]
    Recognition.objects.bulk_create(rows)
    return len(rows)


def generated_chains(old, plan, named_by_province) -> list:
    """(product, [(level code, year), ...]) for generated products of an old province: the first products by
    id reach the highest levels; years rise along each chain and spread over the level's rounds."""
    from awards.models import Recognition

    codes = list(plan)  # lowest level first
    named = [chain for _product, chain in named_by_province.get(old.name, [])]
    remaining = []
    for code in codes:
        done = Recognition.objects.filter(product__producer__province=old, level__code=code).count()
        remaining.append(plan[code][0] - done - sum(1 for chain in named for c, _y in chain if c == code))
    if any(n < 0 for n in remaining) or remaining != sorted(remaining, reverse=True):
        raise CommandError(f"{old.name}: the published counts do not form a chain: {remaining}")
    pool = list(
        Product.objects.filter(producer__province=old, is_generated=True, recognitions__isnull=True)
        .exclude(nominations__isnull=False)
        .order_by("id")[: remaining[0]]
    )
    if len(pool) < remaining[0]:
        raise CommandError(f"{old.name}: {len(pool)} generated products for {remaining[0]} recognitions.")
    # feasible[j]: the round years of level j reachable through earlier rounds of every level below.
    feasible = [sorted(plan[codes[0]][1])]
    for code in codes[1:]:
        feasible.append([y for y in sorted(plan[code][1]) if feasible[-1] and feasible[-1][0] < y])
    turns = [0] * len(codes)
    chains = []
    for i, product in enumerate(pool):
        top = max(j for j, n in enumerate(remaining) if i < n)
        year = feasible[top][turns[top] % len(feasible[top])]
        turns[top] += 1
        chain = [(codes[top], year)]
        for j in range(top - 1, -1, -1):
            earlier = [y for y in feasible[j] if y < year]
            # The lower certificate is still valid (issued at most 3 years before) where a round allows it.
            window = [y for y in earlier if y >= year - 3] or earlier
            year = window[i % len(window)]
            chain.insert(0, (codes[j], year))
        chains.append((product, chain))
    return chains


def archive_recognition(product, level, year):
    import datetime

    from awards.enums import RecognitionSource
    from awards.models import Recognition
    from awards.services import recognition_valid_until

    area = product.producer.unit_id if level.code == "district" else product.producer.province_id
    key = (level.code, year) if level.code in ("region", "national") else (level.code, year, area)
    rng = random.Random("cnnt-decision-" + "-".join(map(str, key)))  # noqa: S311 (demo data, reproducible)
    month = {"district": 9, "province": 10, "region": 11, "national": 12}[level.code]
    decided = datetime.date(year, month, rng.randint(2, 28))
    number = data.KNOWN_DECISIONS.get((level.code, year)) or (
        f"{rng.randint(120, 2900)}/{data.DECISION_SUFFIX[level.code]}"
    )
    return Recognition(
        product=product,
        level=level,
        year=year,
        decision_number=number,
        decision_date=decided,
        valid_until=recognition_valid_until(level, year=year, decision_date=decided),
        source=RecognitionSource.ARCHIVE,
        recorded_by=None,
    )
