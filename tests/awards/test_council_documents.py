"""The council's documents: the minutes of its meeting (biên bản) and the score summary (bảng tổng hợp điểm) as PDF,
read back with pypdf; the staff form for the meeting; the admin export; and who may open what.

Staff see the rounds of their province (another province's round answers 404) and only the managing department
writes the meeting; the council's secretary and chair download both PDFs from their member pages, a plain member
of the council or a member of another council answers 404, other roles 403, anonymous users go to sign in."""

import datetime
import io
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from pypdf import PdfReader

from awards import services
from awards.enums import ConflictReason, CouncilRole
from awards.models import Council
from awards.printouts.council import minutes_pdf, score_summary_pdf
from awards.urls import urlpatterns
from portal.accounts.enums import Role
from portal.accounts.roles import ensure_staff_group
from portal.core.formatting import vn_number
from tests import factories

from .scoring_helpers import accepted, council_for, seat, spread

PASSING = "Lạp sườn hun khói Tâm Hòa"
FAILING = "Miến dong Phia Đén"
PASSING_PRODUCER = "Hợp tác xã Tâm Hòa"
FAILING_PRODUCER = "Cơ sở Miến dong Nguyên Bình"
CHAIR = "Nguyễn Văn Hùng"
MEMBER = "Trần Thị Mai"
CONFLICTED = "Lê Văn Đức"
ABSENT = "Phạm Minh Tuấn"
SECRETARY = "Hoàng Thị Lan"
PLACE = "Hội trường Sở Công Thương tỉnh Cao Bằng"
NOTES = "Hội đồng thống nhất đề nghị công nhận 01 sản phẩm.\nĐề nghị cơ sở Nguyên Bình hoàn thiện bao bì."

LOGIN = "login"


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, NFC, with every run of white space (line breaks in table cells too) as one space."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def page_size(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return float(box.width), float(box.height)


def _sheet(council, member, nomination, per_group):
    return services.sheet_save(member=member, nomination=nomination, points=spread(council, per_group), submit=True)


@pytest.fixture
def records(make_round, staff_user, other_staff_user):
    """A Cao Bằng round whose council of five (chair, two members, one absent member, a secretary off the jury)
    has scored two dossiers: one passes with 82,50, one fails with 65,50 and has a conflict of interest declared.
    A Cà Mau round has its own council and secretary."""
    round_ = make_round("province", publish=True, title="Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng 2026")
    passing_producer = factories.producer(PASSING_PRODUCER, "Cao Bằng")
    failing_producer = factories.producer(FAILING_PRODUCER, "Cao Bằng")
    passing_user = factories.UserFactory(role=Role.PRODUCER, producer=passing_producer)
    failing_user = factories.UserFactory(role=Role.PRODUCER, producer=failing_producer)
    passing = accepted(round_, passing_producer, passing_user, staff_user, name=PASSING)
    failing = accepted(round_, failing_producer, failing_user, staff_user, name=FAILING)
    council = council_for(round_, staff_user)
    chair = seat(council, staff_user, full_name=CHAIR, role=CouncilRole.CHAIR, organization="Sở Công Thương Cao Bằng")
    member = seat(council, staff_user, full_name=MEMBER, organization="Trung tâm Khuyến công Cao Bằng")
    conflicted = seat(council, staff_user, full_name=CONFLICTED, organization="Hội Nông dân tỉnh")
    seat(council, staff_user, full_name=ABSENT, organization="Sở Khoa học và Công nghệ")
    secretary = seat(
        council, staff_user, full_name=SECRETARY, role=CouncilRole.SECRETARY, is_jury=False, organization="Phòng QLCN"
    )
    services.conflict_declare(
        member=conflicted,
        nomination=failing,
        reason=ConflictReason.RELATIVE,
        actor=staff_user,
        note="Anh ruột chủ cơ sở",
    )
    _sheet(council, chair, passing, {"1": 34, "2": 35, "3": 8, "4": 8})  # 85
    _sheet(council, member, passing, {"1": 32, "2": 32, "3": 8, "4": 8})  # 80
    _sheet(council, conflicted, passing, {"1": 33, "2": "33.5", "3": 8, "4": 8})  # 82.5 → mean 82.50
    _sheet(council, chair, failing, {"1": 25, "2": 25, "3": 8, "4": 7})  # 65
    _sheet(council, member, failing, {"1": 26, "2": 25, "3": 8, "4": 7})  # 66 → mean 65.50

    other_round = make_round("province", province_name="Cà Mau", publish=True)
    other_council = council_for(other_round, other_staff_user)
    other_secretary = seat(
        other_council, other_staff_user, full_name="Thư ký Cà Mau", role=CouncilRole.SECRETARY, is_jury=False
    )
    return SimpleNamespace(
        round=round_,
        council=council,
        passing=passing,
        failing=failing,
        other_round=other_round,
        users={
            "anonymous": None,
            "producer": passing_user,
            "plain_member": member.user,
            "other_council": other_secretary.user,
            "staff_ca_mau": other_staff_user,
            "staff_cao_bang": staff_user,
            "secretary": secretary.user,
            "chair": chair.user,
        },
    )


def meeting_post(**changes) -> dict:
    return {"meeting_date": "15/12/2026", "meeting_place": PLACE, "minutes_notes": NOTES, **changes}


# --- the score summary ---


def test_vn_number_writes_the_decimal_comma():
    assert vn_number(Decimal("82.5")) == "82,50"
    assert vn_number(Decimal("1234.5")) == "1.234,50"
    assert vn_number(None) == "—"


def test_score_summary_lists_each_members_total_statistics_and_results(records):
    services.council_minutes_update(
        council=records.council,
        actor=records.users["staff_cao_bang"],
        meeting_date=datetime.date(2027, 1, 5),
        meeting_place=PLACE,
        minutes_notes="",
    )
    records.round.refresh_from_db()

    pdf = score_summary_pdf(records.round)

    width, height = page_size(pdf)
    assert width > height  # A4 landscape
    text = pdf_text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BẢNG TỔNG HỢP ĐIỂM",
        records.council.name.upper(),
        records.round.title,
        "Cao Bằng, ngày 05 tháng 01 năm 2027",
        PASSING,
        FAILING,
        PASSING_PRODUCER,
        FAILING_PRODUCER,
        records.passing.receipt_code,
        CHAIR,
        MEMBER,
        CONFLICTED,
        ABSENT,
        "85,00",
        "82,50",  # the conflicted member's own total on the passing dossier, and the passing dossier's score
        "80,00–85,00",
        "65,50",
        "Đạt",
        "Không đạt",
        "Dưới mức điểm tối thiểu 70.",
        "XĐ",
        "Xung đột lợi ích",
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỊCH HỘI ĐỒNG",
        SECRETARY,
    ):
        assert expected in text, expected
    # The secretary is not on the jury: no column of its own, only the signature.
    assert text.count(SECRETARY) == 1


def test_score_summary_marks_the_conflicted_member_on_the_dossier_it_did_not_score(records):
    from awards.printouts.council import score_summary_context

    context = score_summary_context(records.round)

    names = [m.user.full_name for m in context["jury"]]
    assert names == [CHAIR, MEMBER, CONFLICTED, ABSENT]  # the chair first, then the members in seating order
    lines = {line["nomination"].pk: line for block in context["groups"] for line in block["rows"]}
    assert [c["text"] for c in lines[records.passing.pk]["cells"]] == ["85,00", "80,00", "82,50", "—"]
    assert [c["text"] for c in lines[records.failing.pk]["cells"]] == ["65,00", "66,00", "XĐ", "—"]
    assert (lines[records.passing.pk]["score"], lines[records.passing.pk]["result"]) == ("82,50", "Đạt")
    assert (lines[records.failing.pk]["score"], lines[records.failing.pk]["result"]) == ("65,50", "Không đạt")


# --- the minutes ---


def test_minutes_carry_the_meeting_the_members_the_rule_and_the_proposal(records):
    services.council_minutes_update(
        council=records.council,
        actor=records.users["staff_cao_bang"],
        meeting_date=datetime.date(2026, 12, 15),
        meeting_place=PLACE,
        minutes_notes=NOTES,
    )
    records.round.refresh_from_db()

    pdf = minutes_pdf(records.round)

    width, height = page_size(pdf)
    assert height > width  # A4 portrait
    text = pdf_text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU",
        "Cao Bằng, ngày 15 tháng 12 năm 2026",
        "Thời gian: ngày 15/12/2026",
        f"Địa điểm: {PLACE}",
        "Căn cứ Quyết định số 15/QĐ-SCT ngày 01/11/2026 của Giám đốc Sở",
        "Thông tư 26/2014/TT-BCT",  # the programme's legal basis
        f"{CHAIR} Chủ tịch Hội đồng Sở Công Thương Cao Bằng",
        f"{MEMBER} Ủy viên Trung tâm Khuyến công Cao Bằng Có mặt",
        f"{ABSENT} Ủy viên Sở Khoa học và Công nghệ Vắng mặt",
        f"{SECRETARY} Thư ký Phòng QLCN",
        "Có mặt 3/4 thành viên",
        "Hội đồng đã xem xét 2 hồ sơ đủ điều kiện; 2 hồ sơ đã được chấm điểm với tổng số 5 phiếu",
        records.council.criteria_sheet.name,
        "Điểm của hồ sơ là điểm trung bình của các phiếu.",
        "Hội đồng thống nhất đề nghị công nhận 01 sản phẩm.",
        "Đề nghị cơ sở Nguyên Bình hoàn thiện bao bì.",
        "Dưới mức điểm tối thiểu 70.",
        f"{CONFLICTED} {records.failing.receipt_code} – {FAILING}",
        "Có quan hệ thân nhân với chủ cơ sở hoặc người đại diện: Anh ruột chủ cơ sở",
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỊCH HỘI ĐỒNG",
    ):
        assert expected in text, expected
    proposed = text.split("V. DANH SÁCH SẢN PHẨM ĐỀ NGHỊ CÔNG NHẬN")[1].split("VI. DANH SÁCH SẢN PHẨM KHÔNG")[0]
    assert f"{records.passing.receipt_code} {PASSING} {PASSING_PRODUCER} 82,50" in proposed
    assert FAILING not in proposed
    not_proposed = text.split("VI. DANH SÁCH SẢN PHẨM KHÔNG ĐỀ NGHỊ CÔNG NHẬN")[1].split("VII.")[0]
    assert f"{records.failing.receipt_code} {FAILING} {FAILING_PRODUCER} 65,50 Dưới mức điểm tối thiểu 70." in (
        not_proposed
    )
    assert PASSING not in not_proposed


def test_minutes_without_a_meeting_leave_blanks_to_fill_by_hand(records):
    text = pdf_text(minutes_pdf(records.round))

    assert "Thời gian: ngày …… tháng …… năm ……" in text
    assert "Địa điểm: ……" in text
    assert "Hội đồng thống nhất" not in text  # no conclusions recorded yet: dotted lines instead


# --- the meeting form ---


def minutes_url(records):
    return reverse("awards:staff.round.minutes", args=[records.round.pk])


def test_meeting_form_saves_through_the_service_and_shows_the_pdf_links(client, records):
    client.force_login(records.users["staff_cao_bang"])

    response = client.post(minutes_url(records), meeting_post())

    assert response.status_code == 302
    council = Council.objects.get(pk=records.council.pk)
    assert (council.meeting_date, council.meeting_place, council.minutes_notes) == (
        datetime.date(2026, 12, 15),
        PLACE,
        NOTES,
    )
    page = client.get(response.url)
    html = page.content.decode()
    assert "Đã lưu thông tin cuộc họp" in html
    assert "Cuộc họp và biên bản của Hội đồng" in html
    assert f"Biên bản họp của {records.council.name} ghi thời gian, địa điểm họp" in html
    assert 'value="15/12/2026"' in html
    assert reverse("awards:staff.round.minutes_pdf", args=[records.round.pk]) in html
    assert reverse("awards:staff.round.summary_pdf", args=[records.round.pk]) in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"meeting_date": "31/02/2026"}, "Nhập ngày theo định dạng ngày/tháng/năm (dd/mm/yyyy)"),
        ({"meeting_date": ""}, "Nhập ngày họp Hội đồng."),
        ({"meeting_place": "  "}, "Nhập địa điểm họp Hội đồng."),
        (
            {"meeting_date": "20/10/2026"},
            "Ngày họp không thể trước ngày ban hành quyết định thành lập Hội đồng (01/11/2026).",
        ),
    ],
)
def test_meeting_form_refuses_invalid_input_keeps_it_and_saves_nothing(client, records, changes, message):
    client.force_login(records.users["staff_cao_bang"])

    response = client.post(minutes_url(records), meeting_post(**changes))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert NOTES.splitlines()[0] in html  # what was typed is kept
    council = Council.objects.get(pk=records.council.pk)
    assert (council.meeting_date, council.meeting_place, council.minutes_notes) == (None, "", "")


def test_results_page_links_the_council_documents(client, records):
    client.force_login(records.users["staff_cao_bang"])

    html = client.get(reverse("awards:staff.round.results", args=[records.round.pk])).content.decode()

    assert reverse("awards:staff.round.summary_pdf", args=[records.round.pk]) in html
    assert reverse("awards:staff.round.minutes", args=[records.round.pk]) in html


@pytest.mark.parametrize(("role", "linked"), [("secretary", True), ("chair", True), ("plain_member", False)])
def test_member_dashboard_links_the_documents_for_the_secretary_and_the_chair(client, records, role, linked):
    client.force_login(records.users[role])

    html = client.get(reverse("awards:member.dashboard")).content.decode()

    assert (reverse("awards:member.round.minutes_pdf", args=[records.round.pk]) in html) == linked
    assert (reverse("awards:member.round.summary_pdf", args=[records.round.pk]) in html) == linked
    if role == "secretary":  # off the jury: no dossier to score, yet not told it sits on no council
        assert "Văn bản của Hội đồng" in html


# --- who may open what ---

ROLES = (
    "anonymous",
    "producer",
    "plain_member",
    "other_council",
    "staff_ca_mau",
    "staff_cao_bang",
    "secretary",
    "chair",
    "superuser",
)


def outcomes(*values):
    return dict(zip(ROLES, values, strict=True))


STAFF = outcomes(LOGIN, 403, 403, 403, 404, 200, 403, 403, 200)
MEMBER_FILE = outcomes(LOGIN, 403, 404, 404, 403, 403, 200, 200, 403)
# url name → expected outcome per role (GET)
GET_PAGES = {
    "awards:staff.round.minutes": STAFF,
    "awards:staff.round.minutes_pdf": STAFF,
    "awards:staff.round.summary_pdf": STAFF,
    "awards:member.round.minutes_pdf": MEMBER_FILE,
    "awards:member.round.summary_pdf": MEMBER_FILE,
}
COUNCIL_DOCUMENT_URLS = set(GET_PAGES)


def sign_in(client, request, records, role):
    user = request.getfixturevalue("superuser") if role == "superuser" else records.users[role]
    if user is not None:
        client.force_login(user)


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", GET_PAGES)
def test_get_answers_by_role(client, request, records, name, role):
    sign_in(client, request, records, role)

    response = client.get(reverse(name, args=[records.round.pk]))

    expected = GET_PAGES[name][role]
    assert_outcome(response, expected)
    if expected == 200 and name.endswith("_pdf"):
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        title = "BIÊN BẢN" if "minutes" in name else "BẢNG TỔNG HỢP ĐIỂM"
        assert title in pdf_text(response.content)


@pytest.mark.parametrize("role", ROLES)
def test_meeting_post_answers_by_role_and_changes_nothing_when_refused(client, request, records, role):
    sign_in(client, request, records, role)

    response = client.post(minutes_url(records), meeting_post())

    expected = {**STAFF, "staff_cao_bang": 302, "superuser": 302}[role]
    assert_outcome(response, expected)
    council = Council.objects.get(pk=records.council.pk)
    assert (council.meeting_place == PLACE) == (expected == 302)


@pytest.mark.parametrize("name", sorted(COUNCIL_DOCUMENT_URLS))
def test_round_without_a_council_answers_404(client, records, make_round, name):
    bare = make_round("province", publish=True, title="Đợt chưa có Hội đồng")
    client.force_login(records.users["staff_cao_bang" if name.startswith("awards:staff") else "secretary"])

    assert client.get(reverse(name, args=[bare.pk])).status_code == 404


def test_member_urls_follow_the_seat_not_the_round(client, records):
    """The secretary of the Cà Mau council opens its own round's documents, not Cao Bằng's."""
    client.force_login(records.users["other_council"])

    assert client.get(reverse("awards:member.round.summary_pdf", args=[records.other_round.pk])).status_code == 200
    assert client.get(reverse("awards:member.round.summary_pdf", args=[records.round.pk])).status_code == 404


def test_staff_who_see_a_region_round_but_do_not_run_it_may_read_not_write(
    client, make_round, ministry_staff_user, staff_user
):
    north = make_round("region", region_code="bac", publish=True)
    council_for(north, ministry_staff_user)
    client.force_login(staff_user)

    page = client.get(reverse("awards:staff.round.minutes", args=[north.pk]))
    refused = client.post(reverse("awards:staff.round.minutes", args=[north.pk]), meeting_post())

    assert page.status_code == 200
    assert 'name="meeting_place"' not in page.content.decode()
    assert refused.status_code == 403
    assert Council.objects.get(round=north).meeting_place == ""


def test_matrix_covers_every_council_document_url():
    names = {
        f"awards:{p.name}"
        for p in urlpatterns
        if p.name.endswith(("minutes", "minutes_pdf", "summary_pdf")) and ".round." in p.name
    }
    assert names == COUNCIL_DOCUMENT_URLS


# --- the admin ---


def test_admin_exports_the_minutes_of_one_council_and_refuses_several(client, records, make_round, staff_user):
    staff_user.groups.add(ensure_staff_group())
    client.force_login(staff_user)
    changelist = reverse("admin:awards_council_changelist")

    def export(*councils):
        data = {"action": "export_minutes_pdf", "_selected_action": [c.pk for c in councils], "index": "0"}
        return client.post(changelist, data, follow=True)

    response = export(records.council)

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert "BIÊN BẢN HỌP HỘI ĐỒNG" in pdf_text(response.content)
    assert CHAIR in pdf_text(response.content)

    second = council_for(make_round("province", publish=True, title="Đợt thứ hai"), staff_user)
    refused = export(records.council, second)

    assert refused["Content-Type"].startswith("text/html")
    assert "Chọn đúng một Hội đồng để xuất văn bản." in refused.content.decode()


def test_admin_export_does_not_reach_another_provinces_council(client, records, staff_user):
    staff_user.groups.add(ensure_staff_group())
    client.force_login(staff_user)
    other = Council.objects.get(round=records.other_round)

    response = client.post(
        reverse("admin:awards_council_changelist"),
        {"action": "export_minutes_pdf", "_selected_action": [other.pk], "index": "0"},
        follow=True,
    )

    assert response["Content-Type"].startswith("text/html")
