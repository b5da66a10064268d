"""The member's score sheet as the testers asked for it (issue 16, item 4): each criterion group under its heading
with the dossier's facts it is scored on (which facts: data of the criteria sheet), what each score level means,
a running total, the total on the confirmation before the sheet locks, and the scoring deadline on the member's
councils."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.enums import PhaseKind, SheetStatus
from awards.models import Criterion, NominationDocument, RoundPhase, ScoreSheet
from products.models import Product

from ..nomination_helpers import add_document
from ..scoring_helpers import accepted, council_for, leaves, seat, sheet_post, spread

DAY = datetime.timedelta(days=1)


@pytest.fixture
def scoring(make_round, producer_a, producer_user, staff_user):
    round_ = make_round("province", publish=True)
    nomination = accepted(round_, producer_a, producer_user, staff_user)
    Product.objects.filter(pk=nomination.product_id).update(
        description="Lạp sườn hun khói bằng củi nghiến, không phẩm màu"
    )
    producer_a.workers = 42
    producer_a.save(update_fields=["workers"])
    council = council_for(round_, staff_user)
    member = seat(council, staff_user, full_name="Thành viên A")
    return SimpleNamespace(round=round_, nomination=nomination, council=council, member=member)


@pytest.fixture
def member_client(client, scoring):
    client.force_login(scoring.member.user)
    return client


def sheet_url(nomination):
    return reverse("awards:member.sheet", args=[nomination.pk])


def group_html(html, code) -> str:
    """The section of the sheet holding criterion group `code`."""
    group = Criterion.objects.get(code=code, sheet__code="phu-luc-4", parent__isnull=True)
    found = re.search(
        rf'<section class="card sheet-group" aria-labelledby="group-{group.pk}">(.*?)</section>', html, re.S
    )
    assert found, f"group {code} is not on the page"
    return found.group(1)


def test_each_group_has_its_heading_and_each_sub_criterion_its_score_levels(member_client, scoring):
    html = member_client.get(sheet_url(scoring.nomination)).content.decode()

    social = group_html(html, "2")
    assert "2. Tiêu chí về kinh tế, kỹ thuật, xã hội và môi trường" in social
    assert "40 điểm" in social
    assert "2.3. Giải quyết việc làm, hiệu quả xã hội" in social
    assert "<strong>Trên 5 đến 8</strong>: Tạo việc làm ổn định cho nhiều lao động địa phương, thu nhập khá" in social
    assert "Nguyên liệu tại chỗ, sử dụng tiết kiệm" in social  # 2.4
    assert "3. Tính văn hóa, thẩm mỹ" in group_html(html, "3")


def test_the_facts_criteria_2_3_and_2_4_depend_on_stand_next_to_their_group(member_client, scoring):
    html = member_client.get(sheet_url(scoring.nomination)).content.decode()

    social = group_html(html, "2")
    assert "Số lao động làm sản phẩm</dt><dd>15" in social
    assert "Số lao động của cơ sở</dt><dd>42" in social
    assert "Thịt lợn đen nuôi thả, mắc khén Trùng Khánh" in social
    assert "Lạp sườn hun khói bằng củi nghiến, không phẩm màu" in social
    assert "12 tấn/năm" in social
    assert "1.500.000.000" in social
    market = group_html(html, "1")
    assert "Siêu thị, sàn TMĐT" in market
    assert "Thịt lợn đen" not in market
    assert 'id="dossier-title"' not in html  # every fact has its group: no leftover card


def test_photos_and_documents_with_a_preview_link_stand_next_to_their_group(member_client, scoring):
    nomination = scoring.nomination
    html = member_client.get(sheet_url(nomination)).content.decode()

    document = nomination.documents.select_related("document").first().document
    preview = reverse("awards:member.file", args=[nomination.pk, "document", document.uid])
    other = group_html(html, "4")
    assert f'<a href="{preview}" target="_blank" rel="noopener">Xem trước</a>' in other
    photo = nomination.photos.select_related("photo").first().photo
    assert reverse("awards:member.file", args=[nomination.pk, "photo", photo.uid]) in group_html(html, "3")
    assert member_client.get(preview).status_code == 200


def test_which_facts_a_group_shows_is_data_of_the_criteria_sheet(member_client, scoring):
    Criterion.objects.filter(sheet=scoring.council.criteria_sheet, code="4").update(facts=["labour"])
    Criterion.objects.filter(sheet=scoring.council.criteria_sheet, code="2").update(facts=["capacity"])

    html = member_client.get(sheet_url(scoring.nomination)).content.decode()

    assert "Số lao động làm sản phẩm" in group_html(html, "4")
    assert "Số lao động làm sản phẩm" not in group_html(html, "2")
    # Facts no group shows any more stay on the page, in the dossier card.
    leftover = html[html.index('id="dossier-title"') : html.index('class="score-sheet"')]
    assert "Thịt lợn đen nuôi thả" in leftover
    assert "Xem trước" in leftover


def test_facts_and_levels_are_checked_as_entered_in_the_back_office(scoring):
    group = Criterion.objects.get(sheet=scoring.council.criteria_sheet, code="2")
    group.facts = ["labour", "salary"]
    with pytest.raises(ValidationError) as refused:
        group.full_clean()
    assert "facts" in refused.value.message_dict
    leaf = Criterion.objects.get(sheet=scoring.council.criteria_sheet, code="2.3")
    leaf.levels = [{"points": "0 đến 8"}]
    with pytest.raises(ValidationError) as refused:
        leaf.full_clean()
    assert "levels" in refused.value.message_dict


def test_the_running_total_shows_the_saved_draft_and_the_script_that_keeps_it_up(member_client, scoring):
    points = spread(scoring.council, {"1": 30, "2": 20, "3": 5, "4": 0})
    services.sheet_save(member=scoring.member, nomination=scoring.nomination, points=points)

    html = member_client.get(sheet_url(scoring.nomination)).content.decode()

    assert "Tổng điểm hiện tại: <output data-total>55</output>/100" in html
    assert "js/score-sheet.js" in html
    assert len(re.findall(r'data-max="', html)) == len(leaves(scoring.council))


def test_a_refused_sheet_shows_the_total_of_the_valid_values_typed(member_client, scoring):
    points = spread(scoring.council, {"1": 30, "2": 20, "3": 5, "4": 0})
    first = leaves(scoring.council)[0]
    data = sheet_post(points)
    data[f"c{first.pk}"] = "99"  # over 1.1's maximum of 20

    response = member_client.post(sheet_url(scoring.nomination), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Tổng điểm hiện tại: <output data-total>35</output>/100" in html
    assert scoring.nomination.product.name in html  # the dossier as the page shows it
    assert scoring.nomination.producer.name in html
    assert not ScoreSheet.objects.exists()


def test_a_comment_longer_than_2000_characters_is_refused_and_kept(member_client, scoring):
    points = spread(scoring.council, {"1": 35, "2": 30, "3": 8, "4": 7})
    comment = "Nhận xét dài. " * 200  # 2,800 characters, 2,799 once the closing blank is trimmed

    response = member_client.post(sheet_url(scoring.nomination), sheet_post(points, comment=comment))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nhận xét chỉ được dài tối đa 2000 ký tự (hiện có 2799 ký tự)." in html
    assert 'maxlength="2000"' in html
    assert comment.strip() in html
    assert not ScoreSheet.objects.exists()


def test_the_confirmation_shows_the_total_and_the_comment_before_the_sheet_locks(member_client, scoring):
    points = spread(scoring.council, {"1": 35, "2": 30, "3": 8, "4": 7.5})

    response = member_client.post(
        sheet_url(scoring.nomination),
        sheet_post(points, comment="Sản phẩm có thị trường ổn định.", submit=True, confirm=False),
    )

    html = response.content.decode()
    assert "Tổng: 80,50/100 điểm" in html
    assert "Sản phẩm có thị trường ổn định." in html
    assert scoring.nomination.product.name in html
    assert scoring.nomination.producer.name in html
    assert not ScoreSheet.objects.exists()


def test_a_save_reads_the_members_seat_once_under_its_lock(member_client, scoring):
    """The POST takes the seat under its lock first and checks and saves in that transaction: one statement
    reads the seat (with its council, the conflict, the dates and the member's sheets), none before it."""
    points = spread(scoring.council, {"1": 35, "2": 30, "3": 8, "4": 7})

    with CaptureQueriesContext(connection) as ctx:
        response = member_client.post(sheet_url(scoring.nomination), sheet_post(points, submit=True))

    assert response.status_code == 302
    seat_reads = [q["sql"] for q in ctx.captured_queries if "awards_councilmember" in q["sql"]]
    assert len(seat_reads) == 1
    if connection.features.has_select_for_update:
        assert "FOR NO KEY UPDATE" in seat_reads[0]
    sheet = ScoreSheet.objects.get(nomination=scoring.nomination)
    assert (sheet.member, sheet.status, sheet.total) == (scoring.member, SheetStatus.SUBMITTED, Decimal(80))


@pytest.mark.parametrize("page", ["confirmation", "form again"])
def test_a_page_after_a_post_is_built_once_the_seats_lock_is_released(member_client, scoring, monkeypatch, page):
    """The confirmation and the refused form are built after scoring_seat's transaction: no save of the council
    and no close of the pass waits while a page renders."""
    from awards.views import member as views

    depths, render = [], views.render

    def recording(*args, **kwargs):
        depths.append(len(connection.atomic_blocks))
        return render(*args, **kwargs)

    monkeypatch.setattr(views, "render", recording)
    points = spread(scoring.council, {"1": 35, "2": 30, "3": 8, "4": 7})
    data = sheet_post(points, submit=True, confirm=False)
    if page == "form again":
        data[f"c{leaves(scoring.council)[0].pk}"] = "99"
    outside = len(connection.atomic_blocks)  # the test's own transaction

    response = member_client.post(sheet_url(scoring.nomination), data)

    assert response.status_code == (200 if page == "confirmation" else 400)
    assert depths == [outside]


def test_a_seat_saves_only_within_the_transaction_that_locked_it(scoring, staff_user):
    points = spread(scoring.council, {"1": 35, "2": 30, "3": 8, "4": 7})
    other = seat(scoring.council, staff_user, full_name="Thành viên B")

    with services.scoring_seat(scoring.member.user, scoring.nomination) as locked, pytest.raises(RuntimeError):
        services.sheet_save(  # another member's seat
            member=other, nomination=scoring.nomination, points=points, seat=locked
        )
    with pytest.raises(RuntimeError):  # the lock is gone with its transaction
        services.sheet_save(member=scoring.member, nomination=scoring.nomination, points=points, seat=locked)
    with services.scoring_seat(other.user, scoring.nomination) as locked:
        services.sheet_save(member=other, nomination=scoring.nomination, points=points, seat=locked)

    assert list(ScoreSheet.objects.values_list("member", "total")) == [(other.pk, Decimal(80))]


def test_the_page_costs_the_same_queries_whatever_the_criteria_and_documents(
    member_client, scoring, count_queries, producer_a
):
    url = sheet_url(scoring.nomination)
    before, _response = count_queries(member_client, url)

    sheet = scoring.council.criteria_sheet
    group = Criterion.objects.get(sheet=sheet, code="4")
    for i in range(3):
        Criterion.objects.create(
            sheet=sheet,
            parent=group,
            code=f"4.{i + 3}",
            title=f"Tiêu chí thêm {i}",
            max_points=1,
            order=50 + i,
            levels=[{"points": "0 đến 1", "description": "Mức duy nhất"}],
        )
    Criterion.objects.create(
        sheet=sheet, code="5", title="Nhóm thêm", max_points=2, order=60, facts=["documents", "photos"]
    )
    # An accepted dossier is no longer edited through the wizard: its optional commendation is put on file here.
    item = scoring.round.checklist.get(document_type__code="commendation", group=None)
    document = add_document(producer_a, "commendation", product=scoring.nomination.product)
    NominationDocument.objects.create(nomination=scoring.nomination, item=item, document=document)
    after, response = count_queries(member_client, url)

    assert len(response.context["form"].criteria) == 14
    html = response.content.decode()
    assert "5. Nhóm thêm" in html
    assert reverse("awards:member.file", args=[scoring.nomination.pk, "document", document.uid]) in html
    assert after == before


def test_the_member_councils_page_shows_the_scoring_deadline(client, scoring):
    today = timezone.localdate()
    RoundPhase.objects.update_or_create(
        round=scoring.round, kind=PhaseKind.SCORING, defaults={"starts_on": today - 3 * DAY, "ends_on": today + 5 * DAY}
    )
    client.force_login(scoring.member.user)

    html = client.get(reverse("awards:member.dashboard")).content.decode()

    assert f"Hạn chấm điểm: {(today + 5 * DAY):%d/%m/%Y} (kết thúc giai đoạn chấm điểm)." in html
    assert "Đã chấm 0/1 hồ sơ" in html


def test_the_default_sheet_carries_its_facts_and_levels(db):
    groups = {c.code: c.facts for c in Criterion.objects.filter(sheet__code="phu-luc-4", parent__isnull=True)}
    assert {"labour", "raw_materials", "description"} <= set(groups["2"])
    assert all(c.levels for c in Criterion.objects.filter(sheet__code="phu-luc-4", parent__isnull=False))
    assert (
        Decimal(sum(c.max_points for c in Criterion.objects.filter(sheet__code="phu-luc-4", parent__isnull=True)))
        == 100
    )


def test_submitting_a_sheet_costs_the_same_queries_whatever_the_council_size(client, scoring, staff_user):
    """A deadline-day submission does no work that grows with the council: the same statements whether the
    member sits with a few others or with twenty-nine, on a first save and over a draft."""
    criteria = leaves(scoring.council)
    values = ["18", "15", "12", "8", "6", "5", "4", "4", "3", "2"]
    url = sheet_url(scoring.nomination)

    def submission_queries(name, draft_first):
        member = seat(scoring.council, staff_user, full_name=name)
        client.force_login(member.user)
        if draft_first:
            client.post(url, sheet_post({criteria[0].pk: "10"}))
        data = sheet_post({c.pk: v for c, v in zip(criteria, values, strict=True)}, submit=True)
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, data)
        assert response.status_code == 302
        sheet = ScoreSheet.objects.get(member=member, nomination=scoring.nomination)
        assert (sheet.status, sheet.total) == (SheetStatus.SUBMITTED, Decimal("77"))
        assert sorted(sheet.scores.values_list("points", flat=True)) == sorted(Decimal(v) for v in values)
        return len(ctx.captured_queries)

    few = [submission_queries(f"Thành viên {i}", draft) for i, draft in enumerate((False, True))]
    for i in range(26):
        seat(scoring.council, staff_user, full_name=f"Thành viên thêm {i}")
    many = [submission_queries(f"Thành viên cuối {i}", draft) for i, draft in enumerate((False, True))]
    assert many == few


@pytest.mark.parametrize(
    "how",
    ["confirmed", "unconfirmed", "invalid", "draft"],
)
def test_a_submitted_sheet_is_refused_however_it_is_posted_again(member_client, scoring, how):
    """Once submitted, another post (a second tab, the back button) changes nothing: back to the sheet, read-only,
    with why; whether the save itself refuses it (confirmed, draft) or the page sees it first (the confirmation
    page, a form with errors)."""
    url = sheet_url(scoring.nomination)
    first = spread(scoring.council, {"1": 35, "2": 30, "3": 8, "4": 7})
    member_client.post(url, sheet_post(first, submit=True))
    sheet = ScoreSheet.objects.get()
    assert sheet.status == SheetStatus.SUBMITTED
    other = spread(scoring.council, {"1": 10, "2": 10, "3": 1, "4": 1})
    data = sheet_post(other, submit=how != "draft", confirm=how != "unconfirmed")
    if how == "invalid":
        data[f"c{leaves(scoring.council)[0].pk}"] = "99"

    response = member_client.post(url, data, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "Phiếu đã nộp và bị khóa; chỉ Sở Công Thương có thể mở lại." in response.content.decode()
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == (SheetStatus.SUBMITTED, sum(first.values()))
    assert ScoreSheet.objects.count() == 1
