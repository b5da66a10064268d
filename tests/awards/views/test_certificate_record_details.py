"""What the department reads about a certificate after the fact: the issue date cannot run ahead of today (a
typo would take a number in a future year's sequence for good), the staff history tells an archive certificate
entered later from one issued that day, and the back office's change history is in Vietnamese, with an empty
"revoked by" shown as empty rather than as a deleted account."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.models import Certificate
from awards.services.certificates import latest_issue_date

from ..certificate_helpers import ISSUE_DATE


@pytest.fixture
def issued(published_decision, staff_user):
    decision = published_decision()
    first, second = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    return SimpleNamespace(decision=decision, first=first, second=second)


def too_late() -> datetime.date:
    return latest_issue_date() + datetime.timedelta(days=1)


def test_a_certificate_dated_after_today_is_refused_and_takes_no_number(published_decision, staff_user):
    decision = published_decision()
    recognition = decision.recognitions.first()
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(recognition=recognition, actor=staff_user, issued_on=too_late())
    limit = latest_issue_date().strftime("%d/%m/%Y")
    assert exc.value.message_dict["issued_on"] == [f"Không thể ghi ngày cấp Giấy chứng nhận sau ngày {limit}."]
    assert not Certificate.objects.exists()


def test_a_reissue_dated_after_today_is_refused_and_changes_nothing(issued, staff_user):
    with pytest.raises(ValidationError) as exc:
        services.certificate_reissue(certificate=issued.first, actor=staff_user, issued_on=too_late(), reason="Mất")
    assert "Không thể ghi ngày cấp Giấy chứng nhận sau ngày" in exc.value.message_dict["issued_on"][0]
    issued.first.refresh_from_db()
    assert issued.first.status == "valid"
    assert Certificate.objects.count() == 2


def test_the_staff_history_says_when_a_certificate_was_entered_and_its_own_date(client, staff_user, issued):
    client.force_login(staff_user)
    page = client.get(reverse("awards:staff.certificate.detail", args=[issued.first.pk])).content.decode()
    assert f"Ghi nhận vào Cổng; Giấy chứng nhận ngày {ISSUE_DATE:%d/%m/%Y}" in page


def test_the_limit_is_a_setting(published_decision, staff_user, settings):
    settings.CERTIFICATE_MAX_DAYS_AHEAD = 0
    decision = published_decision()
    with pytest.raises(ValidationError):
        services.certificate_issue(
            recognition=decision.recognitions.first(),
            actor=staff_user,
            issued_on=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_a_certificate_dated_the_day_it_is_entered_reads_issued(published_decision, staff_user, client):
    decision = published_decision()
    recognition = decision.recognitions.first()
    certificate = services.certificate_issue(recognition=recognition, actor=staff_user, issued_on=ISSUE_DATE)
    Certificate.history.filter(id=certificate.pk).update(
        history_date=timezone.make_aware(datetime.datetime.combine(ISSUE_DATE, datetime.time(9)))
    )
    client.force_login(staff_user)
    page = client.get(reverse("awards:staff.certificate.detail", args=[certificate.pk])).content.decode()
    assert "Đã cấp" in page
    assert "Ghi nhận vào Cổng" not in page


def test_the_back_office_history_is_in_vietnamese_and_shows_no_deleted_account(client, superuser, staff_user, issued):
    services.certificate_revoke(certificate=issued.first, actor=staff_user, reason="Cơ sở ngừng sản xuất")
    client.force_login(superuser)
    page = client.get(reverse("admin:awards_certificate_history", args=[issued.first.pk])).content.decode()
    assert "Người thay đổi" in page
    assert "Nội dung thay đổi" in page
    assert "Người thu hồi (tài khoản)" in page
    assert "pk=None" not in page
    assert "đã bị xóa" not in page


def test_the_issue_page_names_producers_whose_address_is_still_in_an_abolished_district(
    client, published_decision, staff_user
):
    from products.models import Producer
    from tests import factories

    decision = published_decision()
    old = factories.province("Đồng Tháp", current=False)
    producer = decision.recognitions.order_by("pk").first().product.producer
    Producer.objects.filter(pk=producer.pk).update(
        province=old, unit=old.children.get(name="Tháp Mười"), current_unit=None, address="Ấp 3, xã Mỹ An"
    )
    client.force_login(staff_user)

    page = client.get(reverse("awards:staff.decision.certificates", args=[decision.pk])).content.decode()

    warning = page.split('id="unconfirmed-addresses"', 1)[1].split("</div>", 1)[0]
    assert "chưa xác nhận địa chỉ" in warning
    assert producer.name in warning
    assert "Ấp 3, xã Mỹ An, huyện Tháp Mười, tỉnh Đồng Tháp" in warning
    assert reverse("products:staff.producer.address.confirm", args=[producer.pk]) in warning
    others = [r.product.producer.name for r in decision.recognitions.exclude(product__producer=producer)]
    assert all(name not in warning for name in others)
