"""Nomination services: drafting, the submission checks, receipt codes, transitions and corrections."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from awards import services
from awards.enums import NominationStatus
from awards.models import Nomination, NominationStatusLog, NominationVersion, Recognition
from products import services as product_services
from products.models import DocumentType
from tests import factories


def _doc(producer, code, product=None, expiry=None):
    return product_services.document_add(
        producer=producer,
        product=product,
        file=factories.pdf_file(f"{code}.pdf"),
        doc_type=DocumentType.objects.get(code=code),
        number=f"{code}-01",
        issuer="Sở KH&ĐT",
        issue_date=datetime.date(2024, 1, 1),
        expiry_date=expiry,
    )


def _photos(product, n=3):
    return [product_services.photo_add(product=product, image=factories.jpeg_file(f"p{i}.jpg")) for i in range(n)]


@pytest.fixture
def ready_product(producer_a):
    """A product with everything a province round asks for on file."""
    product = factories.product(producer_a, "Lạp sườn Tâm Hòa")
    _doc(producer_a, "registration")
    _doc(producer_a, "product_description", product=product)
    _photos(product)
    return product


def _fill(nomination, actor):
    return services.nomination_update_form(
        nomination=nomination,
        actor=actor,
        annual_output="12 tấn/năm",
        workers=15,
        markets="Siêu thị, sàn TMĐT",
        highlights="Công thức truyền thống, hun khói bằng củi nghiến.",
        declaration_accepted=True,
    )


def test_create_reuses_documents_and_photos_on_file(make_round, ready_product, producer_user):
    round_ = make_round("province", publish=True)
    nomination = services.nomination_create(round_=round_, product=ready_product, actor=producer_user)
    assert nomination.status == NominationStatus.DRAFT
    assert nomination.photos.count() == 3
    assert {nd.item.document_type.code for nd in nomination.documents.select_related("item__document_type")} == {
        "registration",
        "product_description",
    }


def test_create_refused_for_another_producers_product(make_round, ready_product, producer_b_user):
    with pytest.raises(PermissionDenied):
        services.nomination_create(
            round_=make_round("province", publish=True), product=ready_product, actor=producer_b_user
        )


def test_create_refused_twice_and_when_round_not_open(make_round, ready_product, producer_user):
    round_ = make_round("province", publish=True)
    services.nomination_create(round_=round_, product=ready_product, actor=producer_user)
    with pytest.raises(services.NominationError):
        services.nomination_create(round_=round_, product=ready_product, actor=producer_user)
    draft_round = make_round("province", title="Đợt nháp")
    with pytest.raises(services.NominationError):
        services.nomination_create(round_=draft_round, product=ready_product, actor=producer_user)


def test_submit_lists_everything_missing_and_changes_nothing(make_round, producer_a, producer_user):
    product = factories.product(producer_a, "Miến dong")
    nomination = services.nomination_create(
        round_=make_round("province", publish=True), product=product, actor=producer_user
    )
    with pytest.raises(services.NominationError) as refused:
        services.nomination_submit(nomination=nomination, actor=producer_user)
    text = " ".join(refused.value.messages)
    assert "Giấy chứng nhận đăng ký doanh nghiệp" in text
    assert "Bản thuyết minh sản phẩm" in text
    assert "0" in text
    assert "3" in text
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT
    assert nomination.receipt_code is None
    assert not NominationStatusLog.objects.filter(nomination=nomination).exists()


def test_submit_gives_receipt_code_log_version_and_email(
    make_round, ready_product, producer_user, django_capture_on_commit_callbacks
):
    round_ = make_round("province", publish=True)
    nomination = services.nomination_create(round_=round_, product=ready_product, actor=producer_user)
    _fill(nomination, producer_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_submit(nomination=nomination, actor=producer_user)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED
    assert nomination.receipt_code == f"CB-{round_.year}-T-0001"
    assert nomination.version == 1
    assert NominationVersion.objects.get(nomination=nomination).snapshot["form"]["workers"] == 15
    log = NominationStatusLog.objects.get(nomination=nomination)
    assert (log.from_status, log.to_status, log.actor) == ("draft", "submitted", producer_user)
    assert len(mail.outbox) == 1
    assert producer_user.email in mail.outbox[0].to


def test_receipt_codes_count_per_province_year_and_level(
    make_round, ready_product, producer_user, producer_b, producer_b_user
):
    round_ = make_round("province", publish=True)
    first = services.nomination_create(round_=round_, product=ready_product, actor=producer_user)
    _fill(first, producer_user)
    services.nomination_submit(nomination=first, actor=producer_user)
    other = factories.product(producer_b, "Chiếu trúc", group_code="1")
    _doc(producer_b, "registration")
    _doc(producer_b, "product_description", product=other)
    _photos(other)
    second = services.nomination_create(round_=round_, product=other, actor=producer_b_user)
    _fill(second, producer_b_user)
    services.nomination_submit(nomination=second, actor=producer_b_user)
    second.refresh_from_db()
    assert second.receipt_code == f"CB-{round_.year}-T-0002"


def test_expired_document_blocks_submission(make_round, producer_a, producer_user):
    product = factories.product(producer_a, "Thịt hun khói")
    _doc(producer_a, "registration")
    _doc(producer_a, "product_description", product=product)
    _photos(product)
    nomination = services.nomination_create(
        round_=make_round("province", publish=True), product=product, actor=producer_user
    )
    food = _doc(producer_a, "food_safety", expiry=timezone.localdate() - datetime.timedelta(days=1))
    item = nomination.round.checklist.get(document_type__code="food_safety")
    services.nomination_attach_document(nomination=nomination, item=item, document=food, actor=producer_user)
    _fill(nomination, producer_user)
    with pytest.raises(services.NominationError) as refused:
        services.nomination_submit(nomination=nomination, actor=producer_user)
    assert any("hết hạn" in m for m in refused.value.messages)


def test_region_round_needs_valid_province_recognition(make_round, ready_product, producer_user):
    round_ = make_round("region", publish=True)
    nomination = services.nomination_create(round_=round_, product=ready_product, actor=producer_user)
    _fill(nomination, producer_user)
    with pytest.raises(services.NominationError):
        services.nomination_submit(nomination=nomination, actor=producer_user)
    Recognition.objects.create(
        product=ready_product,
        level=round_.level.__class__.objects.get(code="province"),
        year=2024,
        decision_number="125/QĐ-UBND",
        valid_until=timezone.localdate() + datetime.timedelta(days=365),
    )
    services.nomination_submit(nomination=nomination, actor=producer_user)
    nomination.refresh_from_db()
    assert nomination.receipt_code.endswith("-KV-0001")


def test_quota_per_province_refuses_one_more(make_round, ready_product, producer_user, producer_b, producer_b_user):
    round_ = make_round("province", publish=True, quota_per_province=1)
    first = services.nomination_create(round_=round_, product=ready_product, actor=producer_user)
    _fill(first, producer_user)
    services.nomination_submit(nomination=first, actor=producer_user)
    other = factories.product(producer_b, "Chiếu trúc", group_code="1")
    _doc(producer_b, "registration")
    _doc(producer_b, "product_description", product=other)
    _photos(other)
    second = services.nomination_create(round_=round_, product=other, actor=producer_b_user)
    _fill(second, producer_b_user)
    with pytest.raises(services.NominationError):
        services.nomination_submit(nomination=second, actor=producer_b_user)


def test_return_correct_only_requested_parts_and_resubmit(make_round, ready_product, producer_user, staff_user):
    nomination = services.nomination_create(
        round_=make_round("province", publish=True), product=ready_product, actor=producer_user
    )
    _fill(nomination, producer_user)
    services.nomination_submit(nomination=nomination, actor=producer_user)
    services.nomination_start_screening(nomination=nomination, actor=staff_user)
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    services.correction_request(
        nomination=nomination,
        actor=staff_user,
        items=["field:annual_output"],
        message="Ghi rõ sản lượng theo năm 2025.",
        deadline=deadline,
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RETURNED
    assert nomination.correction_deadline == deadline
    with pytest.raises(services.NominationError):
        services.nomination_update_form(nomination=nomination, actor=producer_user, markets="Xuất khẩu")
    services.nomination_update_form(nomination=nomination, actor=producer_user, annual_output="14 tấn năm 2025")
    services.nomination_submit(nomination=nomination, actor=producer_user)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RESUBMITTED
    assert nomination.version == 2
    assert nomination.corrections.get().resolved_at is not None
    assert list(NominationStatusLog.objects.filter(nomination=nomination).values_list("to_status", flat=True)) == [
        "submitted",
        "in_screening",
        "returned",
        "resubmitted",
    ]
    assert NominationVersion.objects.filter(nomination=nomination).count() == 2


def test_staff_transitions_refused_to_producer_and_illegal_ones(make_round, ready_product, producer_user, staff_user):
    nomination = services.nomination_create(
        round_=make_round("province", publish=True), product=ready_product, actor=producer_user
    )
    _fill(nomination, producer_user)
    services.nomination_submit(nomination=nomination, actor=producer_user)
    with pytest.raises(PermissionDenied):
        services.nomination_accept(nomination=nomination, actor=producer_user)
    with pytest.raises(services.NominationError):
        services.nomination_reject(nomination=nomination, actor=staff_user, reason="")
    services.nomination_reject(nomination=nomination, actor=staff_user, reason="Sản phẩm không tự sản xuất.")
    with pytest.raises(services.NominationError):
        services.nomination_accept(nomination=nomination, actor=staff_user)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REJECTED
    assert nomination.rejection_reason == "Sản phẩm không tự sản xuất."
    assert Nomination.objects.get(pk=nomination.pk).status == "rejected"


def test_next_level_dossier_starts_from_the_previous_one(make_round, ready_product, producer_user, staff_user):
    province_round = make_round("province", publish=True)
    first = services.nomination_create(round_=province_round, product=ready_product, actor=producer_user)
    _fill(first, producer_user)
    services.nomination_update_form(nomination=first, actor=producer_user, annual_revenue=1_075_000_000)
    services.nomination_submit(nomination=first, actor=producer_user)
    Recognition.objects.create(
        product=ready_product,
        level=province_round.level,
        year=province_round.year,
        valid_until=timezone.localdate() + datetime.timedelta(days=700),
    )
    region_round = make_round("region", publish=True)
    upgraded = services.nomination_create(round_=region_round, product=ready_product, actor=producer_user)
    assert upgraded.annual_revenue == 1_075_000_000
    assert upgraded.highlights == first.highlights
    assert upgraded.documents.count() == 2
    assert upgraded.photos.count() == 3


def test_ministry_staff_see_region_and_national_dossiers_only(
    make_round, ready_product, producer_user, ministry_staff_user, staff_user, other_staff_user
):
    from awards.selectors import nominations_for_staff

    province_dossier = services.nomination_create(
        round_=make_round("province", publish=True), product=ready_product, actor=producer_user
    )
    region_dossier = services.nomination_create(
        round_=make_round("region", publish=True), product=ready_product, actor=producer_user
    )
    assert set(nominations_for_staff(ministry_staff_user)) == {region_dossier}
    assert set(nominations_for_staff(staff_user)) == {province_dossier, region_dossier}
    assert set(nominations_for_staff(other_staff_user)) == set()
