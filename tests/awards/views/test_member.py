"""Council members: the dashboard of the rounds they sit on, the score sheet of a dossier and the dossier's files.

Who may open what: role × dossier → outcome. Anonymous users go to sign in; producers and staff without a seat
answer 403; a member of another round's council, a member with a conflict of interest on the dossier and a member
not assigned to the dossier's product group (council in "groups" mode) answer 404, as if the dossier did not
exist; the assigned member opens it."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from awards import services
from awards.enums import AssignmentMode, ConflictReason, NominationStatus, RoundStatus, SheetStatus
from awards.models import Score, ScoreSheet
from awards.selectors import nomination_score
from portal.accounts.enums import Role
from portal.core.workflow import SYSTEM
from products import services as product_services
from tests import factories

from ..nomination_helpers import add_document, draft, ready_product, submitted
from ..scoring_helpers import LEAF_COUNT, accepted, council_for, leaves, seat, sheet_post, spread

LOGIN = "login"
ROLES = ("anonymous", "producer", "staff", "other_council", "secretary", "conflicted", "other_group", "assigned")


def outcomes(*values):
    return dict(zip(ROLES, values, strict=True))


# The secretary sits on the council but is not on the jury: it scores nothing.
DOSSIER = outcomes(LOGIN, 403, 403, 404, 404, 404, 404, 200)


def sheet_url(nomination):
    return reverse("awards:member.sheet", args=[nomination.pk])


def file_url(nomination, kind, uid):
    return reverse("awards:member.file", args=[nomination.pk, kind, uid])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def stored(field) -> bytes:
    with field.open("rb") as f:
        return f.read()


@pytest.fixture
def records(make_round, producer_a, producer_b, producer_user, staff_user, other_staff_user):
    """A Cao Bằng round whose council scores by product group, with one accepted dossier (group 2) and a member
    in each position towards it; a Cà Mau round with its own council; files attached to the dossier and files
    that are not."""
    round_ = make_round("province", publish=True)
    nomination = accepted(round_, producer_a, producer_user, staff_user)
    council = council_for(round_, staff_user, assignment_mode=AssignmentMode.GROUPS)
    assigned = seat(council, staff_user, full_name="Thành viên nhóm 2", groups=["2"])
    conflicted = seat(council, staff_user, full_name="Thành viên có xung đột", groups=["2"])
    services.conflict_declare(
        member=conflicted, nomination=nomination, reason=ConflictReason.RELATIVE, actor=staff_user
    )
    other_group = seat(council, staff_user, full_name="Thành viên nhóm 1", groups=["1"])
    secretary = seat(
        council, staff_user, full_name="Thư ký", role="secretary", is_jury=False, groups=["1", "2", "3", "4"]
    )

    other_round = make_round("province", province_name="Cà Mau", publish=True)
    outsider = seat(council_for(other_round, other_staff_user), other_staff_user, full_name="Thành viên Cà Mau")

    # A document of the same producer that the dossier does not carry, and a photo of another producer's product.
    loose_document = add_document(producer_a, "commendation", product=nomination.product, number="BK-2025")
    other_product = factories.product(producer_b, "Chiếu trúc", group_code="1")
    foreign_photo = product_services.photo_add(product=other_product, image=factories.jpeg_file("chieu.jpg"))
    return SimpleNamespace(
        round=round_,
        nomination=nomination,
        council=council,
        document=nomination.documents.select_related("document").first().document,
        photo=nomination.photos.select_related("photo").first().photo,
        loose_document=loose_document,
        foreign_photo=foreign_photo,
        users={
            "anonymous": None,
            "producer": producer_user,
            "staff": staff_user,
            "other_council": outsider.user,
            "secretary": secretary.user,
            "conflicted": conflicted.user,
            "other_group": other_group.user,
            "assigned": assigned.user,
        },
        assigned=assigned,
    )


def sign_in(client, records, role):
    user = records.users[role]
    if user is not None:
        client.force_login(user)


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


GET_URLS = {
    "sheet": lambda r: sheet_url(r.nomination),
    "document": lambda r: file_url(r.nomination, "document", r.document.uid),
    "photo": lambda r: file_url(r.nomination, "photo", r.photo.uid),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", GET_URLS)
def test_dossier_urls_answer_by_role(client, records, page, role):
    sign_in(client, records, role)

    response = client.get(GET_URLS[page](records))

    assert_outcome(response, DOSSIER[role])
    response.close()


@pytest.mark.parametrize("role", ROLES)
def test_sheet_post_answers_by_role_and_saves_nothing_when_refused(client, records, role):
    sign_in(client, records, role)
    first = leaves(records.council)[0]

    response = client.post(sheet_url(records.nomination), sheet_post({first.pk: 10}))

    expected = DOSSIER[role]
    if expected == 200:
        assert response.status_code == 302
        sheet = ScoreSheet.objects.get(nomination=records.nomination)
        assert (sheet.member, sheet.status, sheet.total) == (records.assigned, SheetStatus.DRAFT, Decimal(10))
    else:
        assert_outcome(response, expected)
        assert not ScoreSheet.objects.filter(nomination=records.nomination).exists()


LISTED, HIDDEN = "listed", "hidden"
DASHBOARD = outcomes(LOGIN, 403, 403, HIDDEN, HIDDEN, HIDDEN, HIDDEN, LISTED)


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_answers_by_role_and_lists_only_the_dossiers_the_member_scores(client, records, role):
    sign_in(client, records, role)

    response = client.get(reverse("awards:member.dashboard"))

    expected = DASHBOARD[role]
    if expected not in (LISTED, HIDDEN):
        assert_outcome(response, expected)
        return
    assert response.status_code == 200
    listed = {row["nomination"].pk for seat_ in response.context["seats"] for row in seat_["rows"]}
    assert listed == ({records.nomination.pk} if expected == LISTED else set())
    html = response.content.decode()
    assert (sheet_url(records.nomination) in html) == (expected == LISTED)
    assert (records.nomination.receipt_code in html) == (expected == LISTED)


def test_member_opens_the_documents_and_photos_the_dossier_carries(client, records):
    client.force_login(records.users["assigned"])

    document = client.get(file_url(records.nomination, "document", records.document.uid))
    photo = client.get(file_url(records.nomination, "photo", records.photo.uid))

    assert (document.status_code, photo.status_code) == (200, 200)
    document_bytes, photo_bytes = body(document), body(photo)
    assert document_bytes == stored(records.document.file)
    assert document_bytes.startswith(b"%PDF-")
    assert photo_bytes == stored(records.photo.image)
    assert photo_bytes.startswith(b"\xff\xd8")  # JPEG


@pytest.mark.parametrize(
    ("kind", "uid"),
    [
        pytest.param("document", lambda r: r.loose_document.uid, id="producer-document-not-in-the-dossier"),
        pytest.param("photo", lambda r: r.foreign_photo.uid, id="photo-of-another-product"),
        pytest.param("document", lambda r: r.photo.uid, id="photo-uid-as-a-document"),
        pytest.param("photo", lambda r: r.document.uid, id="document-uid-as-a-photo"),
        pytest.param("video", lambda r: r.photo.uid, id="bad-kind"),
    ],
)
def test_member_cannot_open_files_outside_the_dossier(client, records, kind, uid):
    client.force_login(records.users["assigned"])
    assert records.loose_document.producer_id == records.nomination.producer_id

    assert client.get(file_url(records.nomination, kind, uid(records))).status_code == 404


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_member_cannot_open_a_dossier_the_department_has_not_accepted(
    client, records, producer_a, producer_user, state
):
    """A dossier still in the producer's hands (draft) or waiting for screening (submitted) is not the council's
    business yet: it is not on the dashboard, and its sheet and files answer 404 as the staff pages answer 404 on
    a draft. The dossier is in the member's round and product group, so only its state can refuse it."""
    make = draft if state == "draft" else submitted
    nomination = make(records.round, ready_product(producer_a, "Miến dong Phja Đén"), producer_user)
    assert nomination.product.group.code == "2"
    client.force_login(records.users["assigned"])
    urls = {
        "sheet": sheet_url(nomination),
        "document": file_url(nomination, "document", nomination.documents.first().document.uid),
        "photo": file_url(nomination, "photo", nomination.photos.first().photo.uid),
    }

    answers = {page: client.get(url) for page, url in urls.items()}
    saved = client.post(urls["sheet"], sheet_post({leaves(records.council)[0].pk: 10}))

    assert {page: response.status_code for page, response in answers.items()} == dict.fromkeys(urls, 404)
    assert saved.status_code == 404
    assert not ScoreSheet.objects.filter(nomination=nomination).exists()


def test_sheet_page_links_the_dossier_files(client, records):
    client.force_login(records.users["assigned"])

    html = client.get(sheet_url(records.nomination)).content.decode()

    assert file_url(records.nomination, "document", records.document.uid) in html
    assert file_url(records.nomination, "photo", records.photo.uid) in html
    assert str(records.loose_document.uid) not in html


# --- assignment by mode ---


def test_in_all_mode_a_member_without_groups_scores_every_dossier(
    client, make_round, producer_a, producer_user, staff_user
):
    round_ = make_round("province", publish=True)
    nomination = accepted(round_, producer_a, producer_user, staff_user)
    member = seat(council_for(round_, staff_user), staff_user)
    assert not member.groups.exists()
    client.force_login(member.user)

    assert client.get(sheet_url(nomination)).status_code == 200


# --- the dashboard ---


@pytest.fixture
def two_rounds(make_round, producer_a, producer_other_province, producer_user, staff_user, other_staff_user):
    """A member on the councils of a Cao Bằng round (three accepted dossiers, a sent one, a draft) and of a
    Cà Mau round (one accepted dossier)."""
    cao_bang = make_round("province", publish=True, title="Bình chọn cấp tỉnh Cao Bằng")
    ca_mau = make_round("province", province_name="Cà Mau", publish=True, title="Bình chọn cấp tỉnh Cà Mau")
    user = factories.UserFactory(role=Role.MEMBER, full_name="Thành viên hai hội đồng")
    cao_bang_seat = seat(council_for(cao_bang, staff_user), staff_user, user=user)
    ca_mau_seat = seat(council_for(ca_mau, other_staff_user), other_staff_user, user=user)
    scored, drafted, waiting = (
        accepted(cao_bang, producer_a, producer_user, staff_user, name)
        for name in ("Lạp sườn Tâm Hòa", "Miến dong", "Măng khô")
    )
    not_accepted = [
        submitted(cao_bang, ready_product(producer_a, "Thịt hun khói"), producer_user),
        draft(cao_bang, ready_product(producer_a, "Mật ong bạc hà"), producer_user),
    ]
    ca_mau_account = factories.UserFactory(role=Role.PRODUCER, producer=producer_other_province)
    ca_mau_dossier = accepted(ca_mau, producer_other_province, ca_mau_account, other_staff_user, "Khô cá lóc")
    full = spread(cao_bang_seat.council, {"1": 35, "2": 30, "3": 8, "4": 7})
    services.sheet_save(member=cao_bang_seat, nomination=scored, points=full, submit=True)
    services.sheet_save(member=cao_bang_seat, nomination=drafted, points=dict(list(full.items())[:3]))
    return SimpleNamespace(
        user=user,
        cao_bang=(cao_bang_seat, [scored, drafted, waiting]),
        ca_mau=(ca_mau_seat, [ca_mau_dossier]),
        not_accepted=not_accepted,
    )


def test_dashboard_lists_each_round_with_its_progress_and_only_accepted_dossiers(client, two_rounds):
    client.force_login(two_rounds.user)

    response = client.get(reverse("awards:member.dashboard"))

    assert response.status_code == 200
    seats = {s["member"].pk: s for s in response.context["seats"]}
    cao_bang_seat, cao_bang_dossiers = two_rounds.cao_bang
    ca_mau_seat, ca_mau_dossiers = two_rounds.ca_mau
    assert set(seats) == {cao_bang_seat.pk, ca_mau_seat.pk}
    assert (seats[cao_bang_seat.pk]["done"], seats[cao_bang_seat.pk]["total"]) == (1, 3)
    assert (seats[ca_mau_seat.pk]["done"], seats[ca_mau_seat.pk]["total"]) == (0, 1)
    assert {r["nomination"].pk for r in seats[cao_bang_seat.pk]["rows"]} == {n.pk for n in cao_bang_dossiers}
    assert {r["nomination"].pk for r in seats[ca_mau_seat.pk]["rows"]} == {n.pk for n in ca_mau_dossiers}
    for nomination in two_rounds.not_accepted:
        assert nomination.status != NominationStatus.ACCEPTED
    html = response.content.decode()
    assert "Bình chọn cấp tỉnh Cao Bằng" in html
    assert "Bình chọn cấp tỉnh Cà Mau" in html
    for nomination in [*cao_bang_dossiers, *ca_mau_dossiers]:
        assert sheet_url(nomination) in html
    for nomination in two_rounds.not_accepted:
        assert sheet_url(nomination) not in html
        assert nomination.product.name not in html
    assert '<progress max="3" value="1">' in html
    assert '<progress max="1" value="0">' in html


def test_dashboard_of_a_member_without_a_seat_says_so(client, member_user):
    client.force_login(member_user)

    response = client.get(reverse("awards:member.dashboard"))

    assert response.status_code == 200
    assert response.context["seats"] == []


def test_dashboard_says_a_closed_round_has_nothing_left_to_score(client, make_round, staff_user):
    round_ = make_round("province", publish=True)
    member = seat(council_for(round_, staff_user), staff_user, full_name="Ủy viên đợt cũ")
    services.round_set_status(round_=round_, to=RoundStatus.CLOSED, actor=SYSTEM)
    client.force_login(member.user)

    html = client.get(reverse("awards:member.dashboard")).content.decode()

    assert "Đã đóng" in html
    assert "Đợt bình chọn đã đóng: không còn hồ sơ nào chờ bạn chấm điểm." in html
    assert "<progress" not in html


@pytest.fixture
def crowded(make_round, producer_a, producer_user, staff_user):
    """A member's council and `add(n)`, which adds n accepted dossiers, every other one with a submitted sheet
    and the rest with a draft."""
    round_ = make_round("province", publish=True)
    council = council_for(round_, staff_user)
    member = seat(council, staff_user)
    points = spread(council, {"1": 30, "2": 30, "3": 5, "4": 5})
    made = []

    def add(n):
        for _i in range(n):
            made.append(accepted(round_, producer_a, producer_user, staff_user, f"Sản phẩm số {len(made) + 1}"))
            services.sheet_save(member=member, nomination=made[-1], points=points, submit=len(made) % 2 == 1)

    return member, add


def test_dashboard_query_count_does_not_grow_with_the_dossiers(client, count_queries, crowded):
    member, add = crowded
    client.force_login(member.user)
    url = reverse("awards:member.dashboard")
    add(1)
    with_one, response = count_queries(client, url)
    assert response.context["seats"][0]["total"] == 1

    add(9)
    with_ten, response = count_queries(client, url)

    assert (response.context["seats"][0]["done"], response.context["seats"][0]["total"]) == (5, 10)
    assert with_ten == with_one


# --- the score sheet ---


@pytest.fixture
def scoring(make_round, producer_a, producer_user, staff_user):
    """A province round whose council (every member scores every dossier) has one accepted dossier."""
    round_ = make_round("province", publish=True)
    nomination = accepted(round_, producer_a, producer_user, staff_user)
    council = council_for(round_, staff_user)
    member = seat(council, staff_user, full_name="Thành viên A")
    return SimpleNamespace(nomination=nomination, council=council, member=member, criteria=leaves(council))


@pytest.fixture
def member_client(client, scoring):
    client.force_login(scoring.member.user)
    return client


FULL = {"1": 35, "2": 30, "3": 8, "4": 7}  # 80 points


def criterion_fields(form):
    return [name for name in form.fields if re.fullmatch(r"c\d+", name)]


def input_tag(html, name) -> str:
    tags = re.findall(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert len(tags) == 1, tags
    return tags[0]


def input_value(html, name) -> str | None:
    found = re.search(r'\bvalue="([^"]*)"', input_tag(html, name))
    return found.group(1) if found else None


def sheet_state(sheet):
    sheet = ScoreSheet.objects.get(pk=sheet.pk)
    scores = {s.criterion_id: s.points for s in Score.objects.filter(sheet=sheet)}
    return sheet.status, sheet.total, sheet.comment, sheet.submitted_at, scores


def test_sheet_page_shows_one_field_per_sub_criterion(member_client, scoring):
    response = member_client.get(sheet_url(scoring.nomination))

    assert response.status_code == 200
    form = response.context["form"]
    assert len(scoring.criteria) == LEAF_COUNT
    assert criterion_fields(form) == [f"c{c.pk}" for c in scoring.criteria]
    assert [form.fields[f"c{c.pk}"].max_value for c in scoring.criteria] == [c.max_points for c in scoring.criteria]
    html = response.content.decode()
    assert len(re.findall(r'inputmode="decimal"', html)) == LEAF_COUNT
    for criterion in scoring.criteria:
        assert f"{criterion.code}. {criterion.title}" in html
        assert "disabled" not in input_tag(html, f"c{criterion.pk}")
    assert 'name="submit"' in html
    assert response.context["locked"] is False
    assert list(form.fields)[-1] == "comment"  # the comment closes the sheet, after the criteria


def test_saving_a_draft_keeps_partial_values(member_client, scoring):
    first, second, third = scoring.criteria[:3]
    points = {first.pk: "12.5", second.pk: "10", third.pk: "7.25"}

    response = member_client.post(sheet_url(scoring.nomination), sheet_post(points, comment="Cần xem thêm"))

    assert response.status_code == 302
    assert response.url == sheet_url(scoring.nomination)
    sheet = ScoreSheet.objects.get(nomination=scoring.nomination, member=scoring.member)
    status, total, comment, submitted_at, scores = sheet_state(sheet)
    assert (status, total, comment, submitted_at) == (SheetStatus.DRAFT, Decimal("29.75"), "Cần xem thêm", None)
    assert scores == {first.pk: Decimal("12.5"), second.pk: Decimal(10), third.pk: Decimal("7.25")}

    html = member_client.get(sheet_url(scoring.nomination)).content.decode()
    # Saved points come back the way a Vietnamese member types them, with a decimal comma.
    assert input_value(html, f"c{first.pk}") == "12,5"
    assert input_value(html, f"c{second.pk}") == "10"
    assert input_value(html, f"c{third.pk}") == "7,25"
    assert "Bản nháp · 29,75/100" in html
    assert input_value(html, f"c{scoring.criteria[3].pk}") is None
    assert "Cần xem thêm" in html


def test_clearing_a_field_and_saving_the_draft_removes_its_value(member_client, scoring):
    first, second = scoring.criteria[:2]
    url = sheet_url(scoring.nomination)
    member_client.post(url, sheet_post({first.pk: "12", second.pk: "5"}))

    response = member_client.post(url, sheet_post({first.pk: None, second.pk: "5"}))

    assert response.status_code == 302
    _status, total, _comment, _at, scores = sheet_state(ScoreSheet.objects.get(nomination=scoring.nomination))
    assert scores == {second.pk: Decimal(5)}
    assert total == Decimal(5)
    assert input_value(member_client.get(url).content.decode(), f"c{first.pk}") is None


@pytest.mark.parametrize("submit", [True, False], ids=["submit", "draft"])
def test_value_over_the_maximum_is_refused_kept_on_the_page_and_nothing_saved(member_client, scoring, submit):
    first = scoring.criteria[0]
    assert first.max_points == Decimal(20)
    points = {pk: str(v) for pk, v in spread(scoring.council, FULL).items()}
    points[first.pk] = "21"

    response = member_client.post(sheet_url(scoring.nomination), sheet_post(points, comment="Tốt", submit=submit))

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [f"c{first.pk}"]
    html = response.content.decode()
    assert input_value(html, f"c{first.pk}") == "21"
    for criterion in scoring.criteria[1:]:
        assert input_value(html, f"c{criterion.pk}") == points[criterion.pk]
    assert re.search(rf'<div class="field has-error">\s*<label for="id_c{first.pk}"', html)
    assert "Điểm phải từ 0 đến 20." in html
    assert not ScoreSheet.objects.filter(nomination=scoring.nomination).exists()
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("mười", "Nhập điểm bằng số, ví dụ 7,5."),
        ("-1", "Điểm phải từ 0 đến 20."),
        ("12,555", "Chỉ nhập tối đa 2 chữ số thập phân."),
    ],
)
def test_a_score_that_is_not_a_valid_number_is_explained_in_vietnamese(member_client, scoring, typed, message):
    first = scoring.criteria[0]

    response = member_client.post(sheet_url(scoring.nomination), sheet_post({first.pk: typed}))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert input_value(html, f"c{first.pk}") == typed
    assert not ScoreSheet.objects.filter(nomination=scoring.nomination).exists()


def test_submitting_without_every_value_marks_the_empty_field(member_client, scoring):
    points = spread(scoring.council, FULL)
    missing = scoring.criteria[4]
    points[missing.pk] = None

    response = member_client.post(sheet_url(scoring.nomination), sheet_post(points, submit=True))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"c{missing.pk}"]
    assert not ScoreSheet.objects.filter(nomination=scoring.nomination).exists()


def test_a_submission_marks_the_empty_fields_with_the_wrong_ones_at_once(member_client, scoring):
    """An empty score is not left for the next try once the value typed wrong is corrected."""
    points = spread(scoring.council, FULL)
    too_high, not_a_number, missing = scoring.criteria[1], scoring.criteria[2], scoring.criteria[4]
    data = sheet_post({**points, missing.pk: None}, submit=True)
    data[f"c{too_high.pk}"] = "99"
    data[f"c{not_a_number.pk}"] = "abc"

    response = member_client.post(sheet_url(scoring.nomination), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {f"c{c.pk}" for c in (too_high, not_a_number, missing)}
    assert errors[f"c{missing.pk}"] == [f"Nhập điểm cho tiêu chí {missing.code}."]
    assert not ScoreSheet.objects.filter(nomination=scoring.nomination).exists()


def test_submitted_sheet_has_its_total_and_is_locked(member_client, scoring):
    url = sheet_url(scoring.nomination)

    response = member_client.post(url, sheet_post(spread(scoring.council, FULL), comment="Đạt", submit=True))

    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(nomination=scoring.nomination, member=scoring.member)
    assert (sheet.status, sheet.total) == (SheetStatus.SUBMITTED, Decimal(80))
    assert sheet.submitted_at is not None
    assert nomination_score(scoring.nomination).score == Decimal("80.00")

    page = member_client.get(url)
    assert page.context["locked"] is True
    assert all(field.disabled for field in page.context["form"].fields.values())
    html = page.content.decode()
    for criterion in scoring.criteria:
        assert "disabled" in input_tag(html, f"c{criterion.pk}")
    assert 'name="submit"' not in html
    assert 'name="save"' not in html
    assert "80/100" in html

    before = sheet_state(sheet)
    # A locked sheet refuses changes: back to the page (showing the stored values) with an error message.
    refused = member_client.post(url, sheet_post(spread(scoring.council, {"1": 1, "2": 1, "3": 1, "4": 1})))
    assert refused.status_code == 302
    assert [m.level_tag for m in get_messages(refused.wsgi_request)] == ["error"]
    assert sheet_state(sheet) == before
    refused = member_client.post(url, sheet_post(spread(scoring.council, FULL), submit=True))
    assert refused.status_code == 302
    assert sheet_state(sheet) == before


def test_reopened_sheet_can_be_changed_and_submitted_again(member_client, scoring, staff_user):
    url = sheet_url(scoring.nomination)
    member_client.post(url, sheet_post(spread(scoring.council, FULL), submit=True))
    sheet = ScoreSheet.objects.get(nomination=scoring.nomination, member=scoring.member)

    services.sheet_reopen(sheet=sheet, actor=staff_user, reason="Thành viên nhập nhầm tiêu chí 2.1")

    page = member_client.get(url)
    assert page.context["locked"] is False
    assert not any(field.disabled for field in page.context["form"].fields.values())
    html = page.content.decode()
    assert 'name="submit"' in html
    first = scoring.criteria[0]
    assert Decimal(input_value(html, f"c{first.pk}")) == Decimal(20)

    response = member_client.post(
        url, sheet_post(spread(scoring.council, {"1": 30, "2": 30, "3": 5, "4": 5}), submit=True)
    )

    assert response.status_code == 302
    status, total, *_rest = sheet_state(sheet)
    assert (status, total) == (SheetStatus.SUBMITTED, Decimal(70))
    assert nomination_score(scoring.nomination).score == Decimal("70.00")
    assert member_client.get(url).context["locked"] is True


# --- home ---


def test_home_sends_a_member_to_its_inbox(client, scoring):
    client.force_login(scoring.member.user)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("inbox:home") == "/inbox/"


def test_home_sends_a_member_without_a_seat_to_its_inbox(client, member_user):
    client.force_login(member_user)

    response = client.get(reverse("home"))

    assert (response.status_code, response.url) == (302, "/inbox/")


def test_the_dashboard_narrows_to_the_round_the_inbox_links_to(client, scoring, make_round, staff_user):
    other = make_round("province", publish=True, title="Đợt bình chọn khác")
    council_for(other, staff_user)
    seat(other.council, staff_user, user=scoring.member.user)
    client.force_login(scoring.member.user)
    url = reverse("awards:member.dashboard")

    every = client.get(url).context["seats"]
    one = client.get(url, {"round": scoring.nomination.round_id}).context["seats"]

    assert {s["member"].council.round_id for s in every} == {scoring.nomination.round_id, other.pk}
    assert [s["member"].council.round_id for s in one] == [scoring.nomination.round_id]
    assert "Xem tất cả hội đồng của tôi" in client.get(url, {"round": other.pk}).content.decode()
