# The stored search text now spells out legal-form abbreviations (products.search.ABBREVIATIONS): "htx tam hoa"
# becomes "hop tac xa tam hoa". The stored text is already folded, so expanding it in place is enough.

from django.db import migrations

ABBREVIATIONS = {
    "htx": "hop tac xa",
    "dn": "doanh nghiep",
    "dntn": "doanh nghiep tu nhan",
    "hkd": "ho kinh doanh",
    "tht": "to hop tac",
    "thx": "to hop tac",
    "cssx": "co so san xuat",
    "cty": "cong ty",
    "ct": "cong ty",
    "mtv": "mot thanh vien",
}


def expand(apps, schema_editor):
    import re

    word = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\b")
    for model_name in ("Producer", "Product"):
        model = apps.get_model("products", model_name)
        limit = model._meta.get_field("search_text").max_length
        changed = []
        for row in model.objects.only("id", "search_text").iterator(chunk_size=2000):
            text = word.sub(lambda m: ABBREVIATIONS[m.group(1)], row.search_text)[:limit]
            if text != row.search_text:
                row.search_text = text
                changed.append(row)
        model.objects.bulk_update(changed, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0017_vietnamese_collation"),
    ]

    operations = [migrations.RunPython(expand, migrations.RunPython.noop)]
