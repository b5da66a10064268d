"""Generate a large synthetic registry (producers and products across today's 34 provinces) to measure the
portal at scale. Idempotent: it counts its own rows (generated producers whose tax code starts with
SCALE_TAX_PREFIX) and only adds what is missing to reach the requested number of products."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max

from portal.demo import registry as data
from products.enums import ProducerKind, UnitLevel
from products.models import TAX_CODE_VALIDATOR, AdministrativeUnit, Producer, Product, ProductGroup
from products.search import nfc
from products.services import producer_search_text, product_search_text

# Scale tax codes are "9" + a 9-digit sequence number. load_demo uses 14, 20, 48, 51 and 60; the test
# factories use 48: none starts with 9, so the ranges cannot clash.
SCALE_TAX_PREFIX = "9"
SEQ_DIGITS = 9

# Words the demo lists lack but people search for (kept apart so the demo data set stays as published).
EXTRA_PRODUCT_WORDS = {
    "1": ["Chiếu trúc", "Sơn mài", "Gốm sứ", "Mành tre", "Thêu tay"],
    "2": [
        "Khô mực",
        "Bánh phồng tôm",
        "Chè Shan tuyết",
        "Tôm khô",
        "Chè lam",
        "Nem chua",
        "Bánh đa",
        "Ca cao",
        "Hạt mắc ca",
        "Thịt lợn hun khói",
    ],
    "3": ["Máy xay xát", "Máy cắt cỏ", "Lưỡi cày"],
    "4": ["Chổi đót", "Nước rửa chén sinh học"],
}
PRODUCT_WORDS = {g: data.PRODUCT_WORDS[g] + EXTRA_PRODUCT_WORDS[g] for g in data.PRODUCT_WORDS}
GROUP_CODES = [g for g, _w in data.GROUP_WEIGHTS]
GROUP_WEIGHTS = [w for _g, w in data.GROUP_WEIGHTS]  # group 2 (food) is the most common
KINDS = [ProducerKind.HOUSEHOLD, ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE_GROUP]
KIND_WEIGHTS = [40, 30, 25, 5]
# Products per producer: mean 2.48, i.e. about one producer per 2.5 products.
PRODUCTS_PER_PRODUCER = [1, 2, 3, 4, 5]
PRODUCTS_PER_PRODUCER_WEIGHTS = [25, 30, 25, 12, 8]
QUALITY_WORDS = ["truyền thống", "đặc sản", "loại 1", "hữu cơ", "thượng hạng", "gia truyền", "cao cấp"]


class Command(BaseCommand):
    help = (
        "Generate synthetic scale data: producers (about one per 2.5 products) in wards of today's 34 "
        "provinces and their products, flagged is_generated, with tax codes 9xxxxxxxxx. Rows are written "
        "with bulk_create, so no history rows are recorded for them. Idempotent: counts its own products "
        "and only adds the missing ones; safe next to the demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=100_000, help="Target number of scale products.")
        parser.add_argument("--seed", default="cnnt-scale", help="Random seed (same seed, same data).")
        parser.add_argument("--batch", type=int, default=5000, help="Rows per INSERT (bulk_create batch size).")

    def handle(self, *args, products, seed, batch, **options):
        if products < 0 or batch < 1:
            raise CommandError("--products must be >= 0 and --batch >= 1.")
        started = time.perf_counter()
        with transaction.atomic():
            made_producers, made_products, total = self.generate(products, str(seed), batch)
        if made_products and connection.vendor == "postgresql":
            # Leave the tables as they would be in steady state: fresh planner statistics and visibility map (the
            # search's trigram GIN indexes keep no pending list since products migration 0019; a VACUUM would
            # merge one otherwise; autovacuum may be off or late).
            # VACUUM cannot run inside a transaction (as in a test): ANALYZE alone then.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(f"{command} products_producer, products_product")
        elapsed = time.perf_counter() - started
        if not made_products:
            self.stdout.write(f"Scale data already present: {total} products (target {products}); nothing added.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {made_producers} producers and {made_products} products in {elapsed:.1f} s "
                f"({total} scale products in all)."
            )
        )

    # ---------------------------------------------------------------------------------------------------
    def generate(self, target: int, seed: str, batch: int) -> tuple[int, int, int]:
        own_producers = Producer.objects.filter(is_generated=True, tax_code__startswith=SCALE_TAX_PREFIX)
        existing = Product.objects.filter(is_generated=True, producer__in=own_producers).count()
        missing = target - existing
        if missing <= 0:
            return 0, 0, existing

        provinces, wards = self.provinces_and_wards()
        # Larger provinces (more wards) get more producers.
        province_weights = [len(wards[p.pk]) for p in provinces]
        groups = {g.code: g for g in ProductGroup.objects.all()}
        if set(GROUP_CODES) - set(groups):
            raise CommandError("Product groups 1 to 4 are missing: run `manage.py migrate` first.")

        last = own_producers.aggregate(last=Max("tax_code"))["last"]
        first_seq = int(last[len(SCALE_TAX_PREFIX) :]) + 1 if last else 1
        # The stream depends on the seed and on where this run starts, so a run is reproducible.
        rng = random.Random(f"{seed}:{first_seq}")

        made_producers = made_products = 0
        seq = first_seq
        while made_products < missing:
            # One chunk: up to `batch` products and their producers, inserted producers first.
            chunk = []
            chunk_products = 0
            while chunk_products < min(batch, missing - made_products):
                if seq - first_seq < len(provinces):
                    province = provinces[seq - first_seq]  # every province gets a producer first
                else:
                    province = rng.choices(provinces, province_weights)[0]
                n = rng.choices(PRODUCTS_PER_PRODUCER, PRODUCTS_PER_PRODUCER_WEIGHTS)[0]
                n = min(n, missing - made_products - chunk_products)
                chunk.append(self.make_producer(rng, seq, province, rng.choice(wards[province.pk]), n))
                chunk_products += n
                seq += 1
            producers, products = self.insert(chunk, groups, batch)
            made_producers += producers
            made_products += products
            self.stdout.write(f"  {existing + made_products}/{target} products", ending="\r")
            self.stdout.flush()
        self.stdout.write("")
        return made_producers, made_products, existing + made_products

    @staticmethod
    def provinces_and_wards():
        """Today's provinces that have wards, and the wards of each."""
        provinces = list(AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, is_current=True).order_by("code"))
        if not provinces:
            raise CommandError("No current provinces: run `manage.py migrate` first (it loads the units).")
        wards: dict[int, list[AdministrativeUnit]] = {p.pk: [] for p in provinces}
        for ward in AdministrativeUnit.objects.filter(is_current=True, parent__in=provinces).only(
            "id", "name", "full_name", "parent_id"
        ):
            wards[ward.parent_id].append(ward)
        return [p for p in provinces if wards[p.pk]], wards

    @staticmethod
    def insert(chunk, groups, batch) -> tuple[int, int]:
        """One chunk's producers, then their products, each in bulk; how many of each were inserted."""
        producers = Producer.objects.bulk_create([p for p, _specs in chunk], batch_size=batch)
        rows = [
            Product(
                name=name,
                producer=producer,
                group=groups[group_code],
                description=description,
                is_generated=True,
                search_text=product_search_text(Product(name=name), producer),
            )
            for producer, (_p, specs) in zip(producers, chunk, strict=True)
            for name, group_code, description in specs
        ]
        Product.objects.bulk_create(rows, batch_size=batch)
        return len(producers), len(rows)

    @staticmethod
    def make_producer(rng, seq, province, ward, n_products):
        tax_code = f"{SCALE_TAX_PREFIX}{seq:0{SEQ_DIGITS}d}"
        TAX_CODE_VALIDATOR(tax_code)
        rep = f"{rng.choice(data.FAMILY_NAMES)} {rng.choice(data.MIDDLE_NAMES)} {rng.choice(data.GIVEN_NAMES)}"
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        group_codes = rng.choices(GROUP_CODES, GROUP_WEIGHTS, k=n_products)
        words = [rng.choice(PRODUCT_WORDS[g]) for g in group_codes]
        # Many establishments carry the province's name, most their commune's.
        place = province.name if rng.random() < 0.2 else ward.name
        brand = rng.choice(data.ENTERPRISE_WORDS)
        if kind == ProducerKind.HOUSEHOLD:
            name = f"{rng.choice(['Cơ sở', 'Hộ kinh doanh'])} {words[0]} {rep}"
            title = "Chủ cơ sở"
        elif kind == ProducerKind.COOPERATIVE:
            name = f"{rng.choice(['Hợp tác xã', 'Hợp tác xã', 'HTX'])} {words[0]} {place}"
            title = "Giám đốc"
        elif kind == ProducerKind.ENTERPRISE:
            legal = rng.choice(["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần"])
            name = f"{legal} {brand} {place}"
            title = "Giám đốc"
        else:
            name = f"Tổ hợp tác {words[0]} {place}"
            title = "Tổ trưởng"
        name = nfc(name).strip()

        specs, seen = [], set()
        for word, group_code in zip(words, group_codes, strict=True):
            qualifier = rng.choice([ward.name, province.name, rep.split()[-1], brand, rng.choice(QUALITY_WORDS)])
            product_name = nfc(f"{word} {qualifier}")
            if product_name in seen:
                product_name = f"{product_name} ({len(seen) + 1})"
            seen.add(product_name)
            description = nfc(f"{word} do {name} sản xuất tại {ward.full_name}, {province.full_name}.")
            specs.append((product_name, group_code, description))

        producer = Producer(
            name=name,
            kind=kind,
            tax_code=tax_code,
            legal_representative=nfc(rep),
            representative_title=title,
            address=nfc(f"{rng.choice(['Thôn', 'Tổ', 'Ấp', 'Bản', 'Khu phố'])} {rng.randint(1, 15)}"),
            province=province,
            unit_id=ward.pk,
            current_province_id=province.pk,
            phone=f"0{rng.choice(['20', '21', '29', '86', '91', '97', '98'])}{rng.randint(0, 9_999_999):07d}",
            founding_year=rng.randint(1990, 2024),
            workers=rng.randint(2, 150),
            is_generated=True,
        )
        producer.search_text = producer_search_text(producer, [name for name, _group, _desc in specs])
        return producer, specs
