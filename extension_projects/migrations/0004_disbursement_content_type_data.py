"""Disbursement documents stored before the whole-content upload checks: content_type from what each file is
(never its name), images replaced by the portal's re-encoded copy (products.stored_files). No page serves them
yet; the type is stored so that one that does follows the same rule as every other file."""

from django.db import migrations


def forwards(apps, schema_editor):
    from products.stored_files import bring_under_upload_rules
    from products.validators import DOCUMENT_MAX_SIDE, DOCUMENT_TYPES

    bring_under_upload_rules(
        apps.get_model("extension_projects", "Disbursement"), "document", allowed=DOCUMENT_TYPES, max_side=DOCUMENT_MAX_SIDE
    )


class Migration(migrations.Migration):
    dependencies = [
        ("extension_projects", "0003_disbursement_content_type"),
        ("products", "0013_file_content_type_data"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
