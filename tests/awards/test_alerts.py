"""Who hears of a dossier: department staff of its scope when it is submitted or resubmitted (in the portal, and by
e-mail at once, in the daily digest or not at all, as each chose), the producer's accounts of each change of its
status, a person invited to a council."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from awards import services
from awards.enums import NominationStatus
from portal import scheduler
from portal.accounts.enums import Role, SubmissionMail
from portal.core.messaging.models import Notification, NotificationKind, OutgoingMail
from products import services as product_services
from products.models import DocumentType
from tests import factories

from .scoring_helpers import council_for


@pytest.fixture
def ready_product(producer_a):
    product = factories.product(producer_a, "Lạp sườn Tâm Hòa")
    for code, of in (("registration", None), ("product_description", product)):
        product_services.document_add(
            producer=producer_a,
            product=of,
            file=factories.pdf_file(f"{code}.pdf"),
            doc_type=DocumentType.objects.get(code=code),
            number=f"{code}-01",
            issuer="Sở KH&ĐT",
            issue_date=datetime.date(2024, 1, 1),
        )
    for i in range(3):
        product_services.photo_add(product=product, image=factories.jpeg_file(f"p{i}.jpg"))
    return product


@pytest.fixture
def draft(make_round, ready_product, producer_user):
    nomination = services.nomination_create(
        round_=make_round("province", publish=True), product=ready_product, actor=producer_user
    )
    return services.nomination_update_form(
        nomination=nomination,
        actor=producer_user,
        annual_output="12 tấn/năm",
        workers=15,
        markets="Siêu thị",
        highlights="Hun khói bằng củi nghiến.",
        declaration_accepted=True,
    )


def _staff(province="Cao Bằng", **fields):
    return factories.UserFactory(role=Role.STAFF, organization=factories.organization(province), **fields)


def _notices(user, kind=NotificationKind.SUBMISSION):
    return list(Notification.objects.filter(user=user, kind=kind).values_list("text", "link"))


def test_a_submission_tells_the_staff_of_its_province_as_each_chose(
    draft, producer_user, staff_user, other_staff_user, superuser, django_capture_on_commit_callbacks
):
    daily = _staff(submission_mail=SubmissionMail.DAILY)
    silent = _staff(submission_mail=SubmissionMail.NONE)
    gone = _staff(is_active=False)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_submit(nomination=draft, actor=producer_user)

    draft.refresh_from_db()
    text = f"Hồ sơ {draft.receipt_code} đã được nộp: Lạp sườn Tâm Hòa, HTX Tâm Hòa."
    link = f"/staff/nominations/{draft.pk}/"
    for user in (staff_user, daily, silent):
        assert _notices(user) == [(text, link)]
    for user in (other_staff_user, superuser, gone):  # another province, the administrators, a disabled account
        assert _notices(user) == []
    staff_mail = [m for m in mail.outbox if m.to != [producer_user.email]]
    assert [(m.to, m.subject) for m in staff_mail] == [([staff_user.email], text)]  # only who chose "at once"
    assert f"http://127.0.0.1:8000{link}" in staff_mail[0].body
    assert "Có hồ sơ mới được nộp" in staff_mail[0].body
    staff_user.refresh_from_db()
    assert staff_user.unread_notifications == 1


def test_the_daily_digest_lists_the_day_s_submissions_to_who_chose_it(
    draft, producer_user, staff_user, django_capture_on_commit_callbacks
):
    daily = _staff(submission_mail=SubmissionMail.DAILY, full_name="Nông Văn Dìn")
    _staff(province="Cà Mau", submission_mail=SubmissionMail.DAILY)
    services.nomination_submit(nomination=draft, actor=producer_user)
    draft.refresh_from_db()
    mail.outbox.clear()
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler.run_due(tomorrow, jobs=[scheduler.SUBMISSION_DIGEST]) == ["submission_digest"]

    (digest,) = mail.outbox  # the Cà Mau officer had nothing in its scope
    assert digest.to == [daily.email]
    assert digest.subject.startswith("Tổng hợp hằng ngày: 1 hồ sơ được nộp hoặc nộp lại từ 07:00 ")
    assert "Kính gửi Nông Văn Dìn," in digest.body
    assert f"{draft.receipt_code} · Lạp sườn Tâm Hòa (HTX Tâm Hòa)" in digest.body
    assert f"http://127.0.0.1:8000/staff/nominations/{draft.pk}/" in digest.body
    # The next day's digest does not repeat it.
    assert services.submission_digest_send(until=scheduler.SUBMISSION_DIGEST.period_start(tomorrow)) == 1
    next_day = scheduler.SUBMISSION_DIGEST.period_start(tomorrow) + datetime.timedelta(days=1)
    assert services.submission_digest_send(until=next_day) == 0


def test_a_return_and_the_resubmission_tell_the_producer_and_the_staff(
    draft, producer_user, staff_user, django_capture_on_commit_callbacks
):
    services.nomination_submit(nomination=draft, actor=producer_user)
    services.nomination_start_screening(nomination=draft, actor=staff_user)
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.correction_request(
            nomination=draft,
            actor=staff_user,
            items=["field:workers"],
            message="Ghi rõ số lao động.",
            deadline=deadline,
        )
    draft.refresh_from_db()
    returned = _notices(producer_user, NotificationKind.RETURNED)
    assert returned == [
        (
            f"Hồ sơ {draft.receipt_code} được trả lại để bổ sung, sửa đổi; nộp lại chậm nhất ngày {deadline:%d/%m/%Y}.",
            f"/me/nominations/{draft.pk}/",
        )
    ]
    (producer_mail,) = mail.outbox
    assert "Ghi rõ số lao động." in producer_mail.body  # the correction request is in the e-mail

    services.nomination_update_form(nomination=draft, actor=producer_user, workers=16)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_submit(nomination=draft, actor=producer_user)
    resubmitted = f"Hồ sơ {draft.receipt_code} đã được nộp lại: Lạp sườn Tâm Hòa, HTX Tâm Hòa."
    assert _notices(staff_user)[0] == (resubmitted, f"/staff/nominations/{draft.pk}/")
    assert [m.subject for m in mail.outbox if m.to == [staff_user.email]] == [resubmitted]
    statuses = Notification.objects.filter(user=producer_user, kind=NotificationKind.STATUS).count()
    assert statuses == 3  # submitted, in screening, resubmitted


def test_a_refused_submission_tells_nobody(make_round, ready_product, producer_user, staff_user):
    nomination = services.nomination_create(
        round_=make_round("province", publish=True), product=ready_product, actor=producer_user
    )  # the form is not filled in
    with pytest.raises(services.NominationError):
        services.nomination_submit(nomination=nomination, actor=producer_user)
    assert not Notification.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert nomination.status == NominationStatus.DRAFT


def test_an_invitation_to_a_council_is_a_notification_too(make_round, staff_user):
    council = council_for(make_round("province", publish=True), staff_user)
    member = services.council_member_invite(
        council=council, actor=staff_user, email="chuyen.gia@example.vn", full_name="Lê Văn Bình", base_url="/"
    )
    ((text, link),) = _notices(member.user, NotificationKind.INVITATION)
    assert text == f"Anh/chị được mời tham gia hội đồng “{council.name}” của đợt “{council.round.title}”."
    assert link == "/member/"
    assert OutgoingMail.objects.get().to == ["chuyen.gia@example.vn"]
