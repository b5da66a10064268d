"""The OCOP criteria sets in force and the star bands (data, editable in the admin)."""

import datetime
from decimal import Decimal

from django.db import migrations

CRITERIA_SETS = [
    # code, name, legal basis, in force from, A, B, C
    (
        "qd-1048-2019",
        "Bộ tiêu chí OCOP 2019 (A 35 / B 25 / C 40)",
        "Quyết định 1048/QĐ-TTg ngày 21/8/2019",
        datetime.date(2019, 8, 21),
        35,
        25,
        40,
    ),
    (
        "qd-148-2023",
        "Bộ tiêu chí OCOP 2023 (A 40 / B 25 / C 35)",
        "Quyết định 148/QĐ-TTg ngày 24/02/2023",
        datetime.date(2023, 2, 24),
        40,
        25,
        35,
    ),
]
BANDS = [(1, 0), (2, 30), (3, 50), (4, 70), (5, 90)]


def load(apps, schema_editor):
    CriteriaSet = apps.get_model("awards", "OcopCriteriaSet")
    Band = apps.get_model("awards", "OcopStarBand")
    for code, name, basis, valid_from, a, b, c in CRITERIA_SETS:
        CriteriaSet.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "legal_basis": basis,
                "valid_from": valid_from,
                "part_a_max": Decimal(a),
                "part_b_max": Decimal(b),
                "part_c_max": Decimal(c),
            },
        )
    for stars, minimum in BANDS:
        Band.objects.get_or_create(stars=stars, defaults={"min_score": Decimal(minimum)})


class Migration(migrations.Migration):
    dependencies = [("awards", "0010_ocop")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
