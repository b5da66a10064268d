"""Documents and photos stored before the whole-content upload checks: content_type from what each file is (never
its name), photos and image documents replaced by the portal's re-encoded copy (products.stored_files). Photos
are re-encoded here rather than served as downloads until re-encoded: after this migration every stored image
is one the portal wrote, so the one rule "images inline, as their stored type" holds for old and new alike."""

from django.db import migrations


def forwards(apps, schema_editor):
    from products.stored_files import bring_under_upload_rules
    from products.validators import DOCUMENT_MAX_SIDE, DOCUMENT_TYPES, IMAGE_TYPES, PHOTO_MAX_SIDE

    bring_under_upload_rules(apps.get_model("products", "Document"), "file", allowed=DOCUMENT_TYPES, max_side=DOCUMENT_MAX_SIDE)
    bring_under_upload_rules(apps.get_model("products", "ProductPhoto"), "image", allowed=IMAGE_TYPES, max_side=PHOTO_MAX_SIDE)


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0012_file_content_type"),
    ]

    operations = [
        # Backwards: nothing to undo (0012's reversal drops the column; re-encoded copies stay in storage).
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
