"""Fill what 0014 added: every organisation's heading lines from its kind, name and province (Nghị định 30/2020:
"UBND TỈNH ĐỒNG THÁP" above "SỞ CÔNG THƯƠNG"); each producer recorded with a commune/ward of today gets it as its
unit of today; each district before 1 July 2025 is linked to the commune/ward of today that carries its name,
where unambiguous (products.units.link_district_successors)."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    from products.headings import default_heading
    from products.units import link_district_successors

    Organization = apps.get_model("products", "Organization")
    for organization in Organization.objects.select_related("province").filter(heading_name=""):
        governing, name = default_heading(organization.kind, organization.name, organization.province)
        organization.heading_name = name
        organization.governing_body_line = organization.governing_body_line or governing
        organization.save(update_fields=["heading_name", "governing_body_line"])
    Producer = apps.get_model("products", "Producer")
    AdministrativeUnit = apps.get_model("products", "AdministrativeUnit")
    today = AdministrativeUnit.objects.filter(is_current=True, level="ward")
    Producer.objects.filter(unit__in=today, current_unit__isnull=True).update(current_unit_id=F("unit_id"))
    link_district_successors(AdministrativeUnit)


def backwards(apps, schema_editor):
    AdministrativeUnit = apps.get_model("products", "AdministrativeUnit")
    AdministrativeUnit.objects.filter(level="district").update(successor=None)


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0014_heading_and_address_today"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
