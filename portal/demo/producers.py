"""The demo's producers and products: those named in the published provincial reports, and generated ones."""

import random

from products import services
from products.models import AdministrativeUnit, Producer

from . import registry as data
from .files import demo_photo


# -- producers and products
def old_province(name):
    return AdministrativeUnit.objects.get(level="province", is_current=False, name=name)


def load_named(groups, created) -> dict:
    producers = {}
    for key, name, kind, province, district, rep, title, tax_code, products in data.NAMED_PRODUCERS:
        producer = Producer.objects.filter(tax_code=tax_code).first()
        if producer is None:
            old = old_province(province)
            unit = old.children.filter(name=district).order_by("code").first() if district else None
            producer = services.producer_create(
                name=name,
                kind=kind,
                tax_code=tax_code,
                legal_representative=rep,
                representative_title=title,
                address="",
                province=old,
                unit=unit,
            )
            created["producers"] += 1
        producers[key] = producer
        add_products(producer, products, groups, created)
    key, producer = load_registered_household(groups, created)
    producers[key] = producer
    return producers


def load_registered_household(groups, created):
    """The household business registered after the reform with its owner's 12-digit number (today's province)."""
    key, name, province, rep, title, tax_code, address, products = data.REGISTERED_HOUSEHOLD
    producer = Producer.objects.filter(tax_code=tax_code).first()
    if producer is None:
        today = AdministrativeUnit.objects.get(level="province", is_current=True, name=province)
        producer = services.producer_create(
            name=name,
            kind="household",
            tax_code=tax_code,
            legal_representative=rep,
            representative_title=title,
            address=address,
            province=today,
            unit=today.children.order_by("code").first(),
        )
        created["producers"] += 1
    add_products(producer, products, groups, created)
    return key, producer


def add_products(producer, products, groups, created):
    existing = set(producer.products.values_list("name", flat=True))
    for product_name, group_code, description in products:
        if product_name in existing:
            continue
        product = services.product_create(
            producer=producer, name=product_name, group=groups[group_code], description=description
        )
        created["products"] += 1
        for i in range(3):
            services.photo_add(product=product, image=demo_photo(product_name, i))
            created["photos"] += 1


def load_generated(groups, created):
    existing_tax = set(Producer.objects.filter(is_generated=True).values_list("tax_code", flat=True))
    for province_name, (prefix, target) in data.GENERATED_PRODUCTS.items():
        rng = random.Random(f"cnnt-demo-{province_name}")  # noqa: S311 (demo data, reproducible on purpose)
        old = old_province(province_name)
        districts = list(old.children.order_by("code"))
        made, seq = 0, 0
        while made < target:
            seq += 1
            count = rng.choice([1, 1, 2, 2, 3])
            district = rng.choice(districts)
            group_codes = [
                rng.choices([g for g, _ in data.GROUP_WEIGHTS], [w for _, w in data.GROUP_WEIGHTS])[0]
                for _ in range(count)
            ]
            words = [rng.choice(data.PRODUCT_WORDS[g]) for g in group_codes]
            kind, name, rep = generated_identity(rng, words[0], district)
            tax_code = f"{prefix}{99000000 + seq:08d}"
            products = [
                (f"{word} {district.name}" if i == 0 else f"{word} {rep.split()[-1]} {district.name}", g)
                for i, (word, g) in enumerate(zip(words, group_codes, strict=True))
            ]
            # Draw every random value before deciding to skip, so reruns walk the same sequence.
            address, founded, workers = f"Thôn {rng.randint(1, 12)}", rng.randint(1995, 2020), rng.randint(3, 80)
            made += len(products)
            if tax_code in existing_tax:
                continue
            producer = services.producer_create(
                name=name,
                kind=kind,
                tax_code=tax_code,
                legal_representative=rep,
                representative_title="Chủ cơ sở" if kind == "household" else "Giám đốc",
                address=address,
                province=old,
                unit=district,
                founding_year=founded,
                workers=workers,
                is_generated=True,
            )
            created["producers"] += 1
            seen = set()
            for product_name, group_code in products:
                if product_name in seen:
                    product_name = f"{product_name} ({len(seen) + 1})"
                seen.add(product_name)
                product = services.product_create(
                    producer=producer, name=product_name, group=groups[group_code], is_generated=True
                )
                created["products"] += 1
                if (seq + len(seen)) % 6:  # most catalogue cards lead with a photo; some producers sent none
                    services.photo_add(product=product, image=demo_photo(product_name, seq, of=None))
                    created["photos"] += 1


def generated_identity(rng, word, district):
    rep = f"{rng.choice(data.FAMILY_NAMES)} {rng.choice(data.MIDDLE_NAMES)} {rng.choice(data.GIVEN_NAMES)}"
    kind = rng.choices(["household", "cooperative", "enterprise", "cooperative_group"], [40, 30, 25, 5])[0]
    place = district.name
    names = {
        "household": f"Cơ sở {word} {rep}",
        "cooperative": f"Hợp tác xã {word} {place}",
        "enterprise": f"Công ty TNHH {rng.choice(data.ENTERPRISE_WORDS)} {place}",
        "cooperative_group": f"Tổ hợp tác {word} {place}",
    }
    return kind, names[kind], rep
