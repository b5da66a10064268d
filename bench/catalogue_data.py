"""The data of bench/bench_catalogue.py, made once with bulk_create and reused (marked by the note
"bench-catalogue"; see bench_catalogue.py's docstring). Other benches recognise the same generated products
(bench_dashboard every one of them): a product, level and year already recognised takes the year before instead,
so the catalogue's rows never collide with theirs, on a fresh database or a reused one.
"""

import datetime
import io
import os
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image

from awards.models import Certificate, Level, OcopCriteriaSet, OcopRating, Recognition
from bench import common
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, Organization, Product, ProductPhoto

SHARE = int(os.environ.get("BENCH_SHARE", "5"))
NOTE = "bench-catalogue"
BATCH = 2000


def _photo_name() -> str:
    name = "photos/bench/catalogue-bench.jpg"
    if not default_storage.exists(name):
        buf = io.BytesIO()
        Image.new("RGB", (800, 600), (180, 120, 60)).save(buf, "JPEG", quality=80)
        default_storage.save(name, ContentFile(buf.getvalue()))
    return name


def issuing_body():
    province = AdministrativeUnit.objects.get(level="province", is_current=True, name="Đồng Tháp")
    body, _ = Organization.objects.get_or_create(
        name="Ủy ban nhân dân tỉnh Đồng Tháp (đo kiểm danh mục)",
        defaults={"kind": OrganizationKind.PEOPLES_COMMITTEE, "province": province, "certificate_suffix": "GCN-DM"},
    )
    return body


def build() -> int:
    """Recognise every SHARE-th generated product (once); returns how many were recognised now."""
    have = Recognition.objects.filter(note=NOTE, level__code="province").count()
    candidates = Product.objects.filter(is_generated=True).order_by("pk").values_list("pk", flat=True)
    wanted = list(candidates)[::SHARE]
    if have >= len(wanted):
        return 0
    done = set(Recognition.objects.filter(note=NOTE).values_list("product_id", flat=True))
    todo = [pk for pk in wanted if pk not in done]
    body = issuing_body()
    context = {
        "levels": {lv.code: lv for lv in Level.objects.filter(programme__code="spcnnttb")},
        "criteria": OcopCriteriaSet.objects.order_by("-valid_from").first(),
        "photo_name": _photo_name(),
        "body": body,
        "serial": Certificate.objects.filter(issuing_body=body, year=2024).count(),
        "today": timezone.localdate(),
        "rng": random.Random(f"bench-catalogue-{len(done)}"),  # noqa: S311 (reproducible bench data, not secrets)
    }
    for start in range(0, len(todo), BATCH):
        _build_chunk(todo[start : start + BATCH], start, context)
    # Fresh statistics, as autovacuum would give them a minute later: without them PostgreSQL plans the semi-join
    # with the estimates of an empty recognitions table.
    common.settle(Recognition, OcopRating, ProductPhoto, Certificate)
    return len(todo)


def _build_chunk(chunk, start, context) -> None:
    """The recognitions, ratings, photos and certificates of one batch of products, in one transaction."""
    levels, rng, today = context["levels"], context["rng"], context["today"]
    recognitions, ratings, photos = [], [], []
    # Other benches (bench_dashboard) recognise the same generated products: take a year still free per level.
    taken = set(Recognition.objects.filter(product_id__in=chunk).values_list("product_id", "level_id", "year"))

    def recognise(pk, level, year, i):
        while (pk, level.pk, year) in taken:
            year -= 1
        taken.add((pk, level.pk, year))
        recognitions.append(_recognition(pk, level, year, i))

    for i, pk in enumerate(chunk, start=start):
        year = 2015 + i % 10
        recognise(pk, levels["province"], year, i)
        if i % 3 == 0:
            recognise(pk, levels["region"], min(year + 1, 2025), i)
        if i % 20 == 0:
            recognise(pk, levels["national"], min(year + 2, 2025), i)
        if i % 3 == 1:
            ratings.append(_rating(pk, i, context["criteria"], 3 + rng.randrange(3), today, rng))
        if i % 2 == 0:
            photos.append(
                ProductPhoto(product_id=pk, image=context["photo_name"], caption="", original_name="bench.jpg")
            )
    products = Product.objects.in_bulk(chunk)
    with transaction.atomic():
        made = Recognition.objects.bulk_create(recognitions, batch_size=BATCH)
        OcopRating.objects.bulk_create(ratings, batch_size=BATCH)
        ProductPhoto.objects.bulk_create(photos, batch_size=BATCH)
        certificates = []
        for r in made:
            if r.level_id == levels["province"].pk and r.product_id % 4 == 0:
                context["serial"] += 1
                certificates.append(_certificate(r, products[r.product_id], context["body"], context["serial"]))
        Certificate.objects.bulk_create(certificates, batch_size=BATCH)


def _rating(pk, i, criteria, stars, today, rng):
    decided = today - datetime.timedelta(days=30 + rng.randrange(900))
    return OcopRating(
        product_id=pk,
        criteria_set=criteria,
        stars=stars,
        score=Decimal({3: "62", 4: "75", 5: "91"}[stars]),
        level="national" if stars == 5 else "province",
        decision_number=f"{i}/QĐ-UBND-OCOP",
        decision_date=decided,
        valid_until=decided + datetime.timedelta(days=3 * 365),
        is_generated=True,
    )


def _recognition(pk, level, year, i):
    return Recognition(
        product_id=pk,
        level=level,
        year=year,
        decision_number=f"{1000 + i}/QĐ-{level.code}",
        decision_date=datetime.date(year, 11, 20),
        valid_until=datetime.date(year + 3, 12, 31),
        source="archive",
        note=NOTE,
    )


def _certificate(recognition, product, body, serial):
    return Certificate(
        recognition=recognition,
        issuing_body=body,
        year=2024,
        serial=serial,
        number=f"{serial}/GCN-DM",
        issued_on=datetime.date(2024, 1, 15),
        valid_until=datetime.date(2027, 12, 31),
        signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Văn Đo",
        place="Đồng Tháp",
        product_name=product.name,
        group_name="",
        producer_name="",
        province_name="",
        level_name=recognition.level.name,
        recognition_year=recognition.year,
    )
