"""Recognitions recorded from the paper archive: who may record them, which years and levels are accepted, no
duplicates, the certificate's validity; removal of archive ones only; the back office goes through the service."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.enums import RecognitionSource
from awards.models import Recognition
from tests import factories

from .helpers import level


@pytest.fixture
def old_dong_thap_product(db):
    """A product of a producer recorded in Tiền Giang before the reform: Đồng Tháp's today."""
    producer = factories.producer("Cơ sở bánh phồng Chợ Gạo", "Tiền Giang", current=False)
    return factories.product(producer, "Bánh phồng Chợ Gạo")


def record(actor, product, code="province", year=2019, **extra):
    data = {"decision_number": "1234/QĐ-UBND"} | extra
    return services.recognition_record(actor=actor, product=product, level=level(code), year=year, **data)


def messages_of(exc):
    return " ".join(exc.value.messages)


def test_record_keeps_an_archive_recognition_valid_four_years_from_its_decision(staff_user, product_a):
    recognition = record(staff_user, product_a, decision_date=datetime.date(2019, 10, 5), note="Bản sao lưu tại Sở")

    recognition.refresh_from_db()
    assert (recognition.level.code, recognition.year, recognition.decision_number) == ("province", 2019, "1234/QĐ-UBND")
    assert recognition.source == RecognitionSource.ARCHIVE
    assert recognition.decision is None
    assert recognition.nomination is None
    assert recognition.recorded_by == staff_user
    assert recognition.valid_until == datetime.date(2022, 12, 31)
    assert recognition.note == "Bản sao lưu tại Sở"


def test_record_without_decision_date_counts_validity_from_the_end_of_the_year(staff_user, product_a):
    recognition = record(staff_user, product_a, code="region", year=2018)

    assert recognition.decision_date is None
    assert recognition.valid_until == datetime.date(2021, 12, 31)


def test_record_refuses_the_same_product_level_and_year_twice(staff_user, product_a):
    record(staff_user, product_a, year=2019)

    with pytest.raises(ValidationError) as exc:
        record(staff_user, product_a, year=2019, decision_number="999/QĐ-UBND")

    assert "đã được ghi nhận" in messages_of(exc)
    assert Recognition.objects.filter(product=product_a).count() == 1
    # Another year, or another level the same year, is a different recognition.
    record(staff_user, product_a, year=2021)
    record(staff_user, product_a, code="region", year=2019)
    assert Recognition.objects.filter(product=product_a).count() == 3


@pytest.mark.parametrize("year", [2011, 1999])
def test_record_refuses_years_before_2012(staff_user, product_a, year):
    with pytest.raises(ValidationError) as exc:
        record(staff_user, product_a, year=year)

    assert "year" in exc.value.error_dict
    assert "2012" in messages_of(exc)
    assert not Recognition.objects.exists()


def test_record_refuses_a_future_year_and_accepts_this_year(staff_user, product_a):
    this_year = timezone.localdate().year
    with pytest.raises(ValidationError) as exc:
        record(staff_user, product_a, year=this_year + 1)
    assert "year" in exc.value.error_dict

    assert record(staff_user, product_a, year=this_year).year == this_year
    assert record(staff_user, product_a, code="region", year=2012).year == 2012


def test_record_refuses_a_decision_dated_in_the_future(staff_user, product_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        record(staff_user, product_a, year=tomorrow.year, decision_date=tomorrow)
    assert "decision_date" in exc.value.error_dict


def test_record_refuses_a_decision_date_of_another_year(staff_user, product_a):
    with pytest.raises(ValidationError) as exc:
        record(staff_user, product_a, year=2019, decision_date=datetime.date(2017, 3, 1))
    assert "decision_date" in exc.value.error_dict
    # A decision of the 2019 round signed early in 2020 is accepted.
    assert record(staff_user, product_a, year=2019, decision_date=datetime.date(2020, 1, 15)).pk


def test_record_needs_the_decision_number(staff_user, product_a):
    with pytest.raises(ValidationError) as exc:
        record(staff_user, product_a, decision_number="  ")
    assert "decision_number" in exc.value.error_dict


@pytest.mark.parametrize(
    ("code", "year", "decided", "accepted"),
    [
        ("district", 2018, None, True),
        ("district", 2024, datetime.date(2024, 11, 2), True),
        ("district", 2025, datetime.date(2025, 6, 30), True),
        ("district", 2025, datetime.date(2025, 7, 1), False),  # districts ended on 30/06/2025
        ("district", 2026, None, False),
        ("commune", 2024, None, False),  # communes award from 01/07/2025
        ("commune", 2025, datetime.date(2025, 6, 30), False),
        ("commune", 2025, datetime.date(2025, 7, 1), True),
        ("commune", 2026, None, True),
    ],
)
def test_record_accepts_a_level_only_while_it_existed(staff_user, product_a, code, year, decided, accepted):
    if accepted:
        assert record(staff_user, product_a, code=code, year=year, decision_date=decided).level.code == code
    else:
        with pytest.raises(ValidationError) as exc:
            record(staff_user, product_a, code=code, year=year, decision_date=decided)
        assert "level" in exc.value.error_dict
        assert not Recognition.objects.exists()


def test_staff_record_only_for_producers_of_their_province(staff_user, other_staff_user, product_a):
    with pytest.raises(PermissionDenied):
        record(other_staff_user, product_a)
    assert not Recognition.objects.exists()


def test_staff_record_for_a_producer_recorded_in_a_province_their_province_absorbed(db, old_dong_thap_product):
    dong_thap_staff = factories.UserFactory(
        role="staff", organization=factories.organization("Đồng Tháp"), is_staff=True, full_name="Cán bộ Đồng Tháp"
    )
    assert record(dong_thap_staff, old_dong_thap_product, code="district", year=2016).pk


def test_members_and_producers_cannot_record(member_user, producer_user, product_a):
    for user in (member_user, producer_user):
        with pytest.raises(PermissionDenied):
            record(user, product_a)
    assert not Recognition.objects.exists()


def test_ministry_agency_records_region_and_national_levels_only(ministry_staff_user, product_a):
    assert record(ministry_staff_user, product_a, code="national", year=2021, decision_number="1997/QĐ-BCT").pk
    with pytest.raises(PermissionDenied):
        record(ministry_staff_user, product_a, code="province", year=2019)


def test_superuser_records_for_any_province(superuser, product_a, producer_other_province):
    ca_mau_product = factories.product(producer_other_province, "Tôm khô Tân Phát Lợi")
    assert record(superuser, product_a).pk
    assert record(superuser, ca_mau_product).pk


def test_delete_removes_an_archive_recognition(staff_user, product_a):
    recognition = record(staff_user, product_a)

    services.recognition_delete(actor=staff_user, recognition=recognition)

    assert not Recognition.objects.exists()


def test_delete_refuses_staff_of_another_province(staff_user, other_staff_user, product_a):
    recognition = record(staff_user, product_a)
    with pytest.raises(PermissionDenied):
        services.recognition_delete(actor=other_staff_user, recognition=recognition)
    assert Recognition.objects.filter(pk=recognition.pk).exists()


def test_delete_refuses_a_recognition_of_a_decision_published_on_the_portal(superuser, product_a):
    portal = Recognition.objects.create(
        product=product_a, level=level("province"), year=2024, decision_number="1450/QĐ-UBND", source="portal"
    )
    with pytest.raises(ValidationError) as exc:
        services.recognition_delete(actor=superuser, recognition=portal)
    assert "không thể xóa" in messages_of(exc)
    assert Recognition.objects.filter(pk=portal.pk).exists()


# --- the back office ---


def admin_add(client, product, **changes):
    data = {
        "product": product.pk,
        "level": level("province").pk,
        "year": "2019",
        "decision_number": "321/QĐ-UBND",
        "decision_date": "05/10/2019",
        "note": "",
    } | changes
    return client.post(reverse("admin:awards_recognition_add"), data)


def test_admin_add_goes_through_the_service(client, admin_staff_user, product_a):
    client.force_login(admin_staff_user)

    response = admin_add(client, product_a)

    assert response.status_code == 302
    recognition = Recognition.objects.get()
    assert recognition.source == RecognitionSource.ARCHIVE
    assert recognition.recorded_by == admin_staff_user
    assert recognition.valid_until == datetime.date(2022, 12, 31)


def test_admin_add_shows_the_services_refusal(client, admin_staff_user, product_a):
    client.force_login(admin_staff_user)

    response = admin_add(client, product_a, level=level("district").pk, year="2026", decision_date="")

    assert response.status_code == 200
    assert "01/07/2025" in response.content.decode()
    assert not Recognition.objects.exists()


def test_admin_lists_only_the_staff_members_province(
    client, admin_staff_user, superuser, product_a, producer_other_province
):
    ca_mau_product = factories.product(producer_other_province, "Tôm khô Tân Phát Lợi")
    record(superuser, product_a)
    record(superuser, ca_mau_product)
    client.force_login(admin_staff_user)

    response = client.get(reverse("admin:awards_recognition_changelist"))

    assert [r.product.name for r in response.context["cl"].result_list] == [product_a.name]


def test_admin_keeps_portal_recognitions_read_only(client, admin_staff_user, product_a):
    portal = Recognition.objects.create(
        product=product_a, level=level("province"), year=2024, decision_number="1450/QĐ-UBND", source="portal"
    )
    client.force_login(admin_staff_user)

    client.post(reverse("admin:awards_recognition_change", args=[portal.pk]), {"note": "sửa"})
    response = client.post(reverse("admin:awards_recognition_delete", args=[portal.pk]), {"post": "yes"})

    assert response.status_code == 403
    portal.refresh_from_db()
    assert portal.note == ""
