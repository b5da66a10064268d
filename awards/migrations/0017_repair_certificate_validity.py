"""Repair the validity written by the old rule, which counted from the day a certificate was printed and copied
that date back onto the recognition: a 2017 archive recognition printed in 2026 read "valid until 31/12/2029".
Every recognition gets the rule's date (31 December of the n-th year counting its decision's year as the first,
`awards.validity`) and every certificate its recognition's. What changed is printed, one line per recognition;
`manage.py repair_certificate_validity --dry-run` lists the same at any time (without --dry-run it repairs)."""

from django.db import migrations

from awards.validity import validity_repairs


def repair(apps, schema_editor):
    recognition = apps.get_model("awards", "Recognition")
    certificate = apps.get_model("awards", "Certificate")
    repairs = validity_repairs(recognition, certificate, apply=True)
    if repairs:
        print(f"\n  Certificate validity repaired for {len(repairs)} recognition(s):")
        for line in repairs:
            print(f"    {line.describe()}")


class Migration(migrations.Migration):
    dependencies = [("awards", "0016_level_certificate_years")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
