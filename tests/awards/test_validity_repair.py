"""The repair of the validity written by the old rule (counted from the printing date, copied back onto the
recognition): the function the data migration runs, the migration's report, and the command that lists (and
repairs) the same."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from awards import services
from awards.models import Certificate, Recognition
from awards.validity import validity_repairs

from .certificate_helpers import ISSUE_DATE, peoples_committee, recognitions_of
from .helpers import level

OLD_RULE = datetime.date(2029, 12, 31)  # printed in 2026 under the old rule: 2026 + 3


@pytest.fixture(autouse=True)
def _dated_years_ahead(settings):
    # Some certificates here are dated in 2028, to show that printing later keeps the decision's validity.
    settings.CERTIFICATE_MAX_DAYS_AHEAD = 3650


@pytest.fixture
def old_rows(published_decision, staff_user, product_a):
    """What the old code left: a 2017 archive recognition printed in 2026 (recognition and certificate say
    31/12/2029), and a decision of 15/12/2026 whose certificate, issued on 05/01/2027 and re-issued in 2028,
    moved the recognition to 31/12/2031 (first certificate 31/12/2030). One recognition is right."""
    archive = services.recognition_record(
        actor=staff_user,
        product=product_a,
        level=level("province"),
        year=2017,
        decision_number="1234/QĐ-UBND",
        decision_date=datetime.date(2017, 10, 20),
    )
    printed = services.certificate_issue(
        recognition=archive,
        actor=staff_user,
        issued_on=datetime.date(2026, 3, 1),
        issuing_body=peoples_committee(),
        signer_title="CHỦ TỊCH",
        signer_name="Hoàng Xuân Ánh",
    )
    untouched, reissued = recognitions_of(published_decision())
    first = services.certificate_issue(recognition=reissued, actor=staff_user, issued_on=ISSUE_DATE)
    second = services.certificate_reissue(certificate=first, actor=staff_user, issued_on=datetime.date(2028, 2, 1))
    Recognition.objects.filter(pk=archive.pk).update(valid_until=OLD_RULE)
    Certificate.objects.filter(pk=printed.pk).update(valid_until=OLD_RULE)
    Recognition.objects.filter(pk=reissued.pk).update(valid_until=datetime.date(2031, 12, 31))
    Certificate.objects.filter(pk=first.pk).update(valid_until=datetime.date(2030, 12, 31))
    Certificate.objects.filter(pk=second.pk).update(valid_until=datetime.date(2031, 12, 31))
    return {"archive": archive, "printed": printed, "reissued": reissued, "untouched": untouched}


def validity(model, obj):
    return model.objects.values_list("valid_until", flat=True).get(pk=obj.pk)


def test_the_repair_lists_what_differs_and_writes_nothing_on_a_dry_run(old_rows):
    repairs = validity_repairs(Recognition, Certificate, apply=False)

    assert [r.recognition_id for r in repairs] == [old_rows["archive"].pk, old_rows["reissued"].pk]
    archive, reissued = (r.describe() for r in repairs)
    assert archive == (
        f"recognition {old_rows['archive'].pk} (Lạp sườn Tâm Hòa · Cấp tỉnh 2017 · 1234/QĐ-UBND 20/10/2017): "
        "31/12/2029 → 31/12/2020; certificate 1/GCN-UBND (2026): 31/12/2029 → 31/12/2020"
    )
    assert reissued.endswith(
        "31/12/2031 → 31/12/2029; certificate 1/GCN-UBND (2027): 31/12/2030 → 31/12/2029; "
        "certificate 1/GCN-UBND (2028): 31/12/2031 → 31/12/2029"
    )
    assert validity(Recognition, old_rows["archive"]) == OLD_RULE  # nothing written


def test_the_repair_sets_the_rule_on_recognitions_and_their_certificates(old_rows):
    validity_repairs(Recognition, Certificate, apply=True)

    assert validity(Recognition, old_rows["archive"]) == datetime.date(2020, 12, 31)
    assert validity(Certificate, old_rows["printed"]) == datetime.date(2020, 12, 31)
    assert validity(Recognition, old_rows["reissued"]) == datetime.date(2029, 12, 31)
    assert set(Certificate.objects.filter(recognition=old_rows["reissued"]).values_list("valid_until", flat=True)) == {
        datetime.date(2029, 12, 31)
    }
    assert validity(Recognition, old_rows["untouched"]) == datetime.date(2029, 12, 31)
    assert validity_repairs(Recognition, Certificate, apply=False) == []  # nothing left to repair


def test_a_certificate_differing_from_a_right_recognition_is_repaired_too(old_rows):
    Recognition.objects.filter(pk=old_rows["reissued"].pk).update(valid_until=datetime.date(2029, 12, 31))

    (_archive, reissued) = validity_repairs(Recognition, Certificate, apply=True)

    assert "31/12/2029, unchanged; certificate 1/GCN-UBND (2027): 31/12/2030 → 31/12/2029" in reissued.describe()
    assert (
        not Certificate.objects.exclude(valid_until=datetime.date(2029, 12, 31))
        .exclude(recognition=old_rows["archive"])
        .exists()
    )


def test_the_data_migration_repairs_and_prints_each_change(old_rows, capsys):
    migration = importlib.import_module("awards.migrations.0017_repair_certificate_validity")

    migration.repair(apps, None)

    printed = capsys.readouterr().out
    assert "Certificate validity repaired for 2 recognition(s):" in printed
    assert "31/12/2029 → 31/12/2020; certificate 1/GCN-UBND (2026): 31/12/2029 → 31/12/2020" in printed
    assert validity(Certificate, old_rows["printed"]) == datetime.date(2020, 12, 31)


def test_the_command_lists_on_a_dry_run_and_repairs_without_it(old_rows, capsys):
    call_command("repair_certificate_validity", "--dry-run")
    listed = capsys.readouterr().out
    assert "31/12/2029 → 31/12/2020" in listed
    assert listed.strip().endswith("2 recognition(s) would change.")
    assert validity(Recognition, old_rows["archive"]) == OLD_RULE

    call_command("repair_certificate_validity")
    assert capsys.readouterr().out.strip().endswith("2 recognition(s) changed.")
    assert validity(Recognition, old_rows["archive"]) == datetime.date(2020, 12, 31)

    call_command("repair_certificate_validity", "--dry-run")
    assert capsys.readouterr().out.strip() == "0 recognition(s) would change."
