"""The staff pages of khuyến công projects: a project recorded through the page (with the support-limit warning
confirmed by a note), disbursements refused above the approved amount, each state showing what it still needs,
a project taken from proposal to settlement by POSTs, the list's filters, who may open what, and query counts
that do not grow with the data."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from extension_projects import services
from extension_projects.enums import FundingSource, ProjectStatus
from extension_projects.models import Disbursement, Project, ProjectStatusLog
from extension_projects.urls import urlpatterns
from extension_projects.views import project_actions
from extension_projects.views import projects as project_views
from tests import factories

from .helpers import activity, project, to_implementing

pytestmark = pytest.mark.django_db

LIST = reverse("extension_projects:staff.project.list")
CREATE = reverse("extension_projects:staff.project.create")
SUMMARY = reverse("extension_projects:staff.project.summary")


def detail_url(p):
    return reverse("extension_projects:staff.project.detail", args=[p.pk])


def transition_url(p):
    return reverse("extension_projects:staff.project.transition", args=[p.pk])


def disburse_url(p):
    return reverse("extension_projects:staff.project.disbursement.add", args=[p.pk])


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def form_data(**changes):
    data = {
        "title": "Hỗ trợ máy sấy lạp sườn cho HTX Tâm Hòa",
        "activity_type": activity("equipment").pk,
        "plan_year": "2024",
        "province": factories.province("Cao Bằng").pk,
        "implementer": "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Cao Bằng",
        "beneficiary_count": "",
        "data_quality_note": "",
        "funding_national": "",
        "funding_local": "250.000.000",
        "funding_counterpart": "300.000.000",
    }
    data.update(changes)
    return data


# -- recording a project ---------------------------------------------------------------------------------------------
def test_an_officer_records_a_project_through_the_page(client, staff_user, producer_a):
    client.force_login(staff_user)

    response = client.post(CREATE, form_data(beneficiaries=[producer_a.pk]))

    p = Project.objects.get(title="Hỗ trợ máy sấy lạp sườn cho HTX Tâm Hòa")
    assert response.status_code == 302
    assert p.code == "KC-2024-001"  # the department's rule (the default pattern), not typed
    assert response.url == detail_url(p)
    assert p.status == ProjectStatus.PROPOSED
    assert p.created_by == staff_user
    assert list(p.beneficiaries.all()) == [producer_a]
    assert {f.source: f.approved for f in p.fundings.all()} == {"local": 250_000_000, "counterpart": 300_000_000}
    page = text(client.get(detail_url(p)))
    assert "HTX Tâm Hòa" in page
    assert "250.000.000" in page
    assert "550.000.000" in page


def test_support_above_the_limit_asks_for_a_note_and_keeps_the_input(client, staff_user, producer_a):
    client.force_login(staff_user)
    data = form_data(beneficiaries=[producer_a.pk], funding_local="400.000.000")

    response = client.post(CREATE, data)

    assert response.status_code == 400
    assert not Project.objects.exists()
    page = text(response)
    assert "Mức hỗ trợ vượt định mức" in page
    assert "400.000.000 đồng vượt mức hỗ trợ tối đa 300.000.000 đồng/cơ sở" in page
    assert "vượt quá 50% tổng kinh phí đề án (700.000.000 đồng)" in page
    assert "Hãy ghi chú lý do vượt mức hỗ trợ để xác nhận." in page
    html = response.content.decode()
    assert 'name="note"' in html
    assert 'value="400.000.000"' in html
    assert "Hỗ trợ máy sấy lạp sườn cho HTX Tâm Hòa" in html

    response = client.post(CREATE, {**data, "note": ""})
    assert response.status_code == 400
    assert not Project.objects.exists()

    note = "Máy sấy công suất lớn theo đề nghị của UBND huyện; đã báo cáo Sở."
    response = client.post(CREATE, {**data, "note": note})

    assert response.status_code == 302
    p = Project.objects.get()
    assert p.limit_note == note
    assert p.fundings.get(source="local").approved == 400_000_000
    assert "Mức hỗ trợ vượt định mức đã được giải trình" in text(client.get(detail_url(p)))


def test_beneficiaries_of_another_province_are_refused(client, staff_user, producer_other_province):
    client.force_login(staff_user)

    response = client.post(CREATE, form_data(beneficiaries=[producer_other_province.pk]))

    assert response.status_code == 400
    assert not Project.objects.exists()


def test_an_officer_changes_the_funding_of_a_project(client, staff_user, producer_a):
    p = project(staff_user, beneficiaries=[producer_a])
    client.force_login(staff_user)
    url = reverse("extension_projects:staff.project.update", args=[p.pk])
    assert 'value="250.000.000"' in client.get(url).content.decode()

    response = client.post(
        url, form_data(code=p.code, beneficiaries=[producer_a.pk], funding_local="200.000.000", funding_national="5")
    )

    assert response.status_code == 302
    assert {f.source: f.approved for f in p.fundings.all()} == {
        "local": 200_000_000,
        "counterpart": 300_000_000,
        "national": 5,
    }


# -- money -----------------------------------------------------------------------------------------------------------
def test_a_disbursement_over_the_approved_amount_is_refused_with_the_figures(client, staff_user):
    p = project(staff_user)
    to_implementing(p, staff_user)
    services.disbursement_add(
        project=p, actor=staff_user, source=FundingSource.LOCAL, amount=200_000_000, paid_on=datetime.date(2024, 5, 2)
    )
    client.force_login(staff_user)

    response = client.post(
        disburse_url(p),
        {"source": "local", "amount": "80.000.000", "paid_on": "02/09/2024", "reference": "UNC 118"},
    )

    assert response.status_code == 400
    assert Disbursement.objects.count() == 1
    page = text(response)
    assert (
        "Đợt giải ngân này vượt kinh phí được duyệt: được duyệt 250.000.000 đồng, đã giải ngân 200.000.000 đồng, "
        "đợt này 80.000.000 đồng; nguồn này chỉ còn giải ngân được tối đa 50.000.000 đồng." in page
    )
    assert 'value="80.000.000"' in response.content.decode()
    assert 'value="UNC 118"' in response.content.decode()

    response = client.post(disburse_url(p), {"source": "local", "amount": "50.000.000", "paid_on": "02/09/2024"})
    assert response.status_code == 302
    assert text(client.get(detail_url(p))).count("250.000.000") >= 2  # approved and disbursed, remaining 0


def test_a_transition_with_missing_facts_shows_what_is_missing(client, staff_user):
    p = project(staff_user)
    client.force_login(staff_user)

    page = text(client.get(detail_url(p)))
    assert "Chuyển sang “Đã phê duyệt” còn thiếu" in page
    assert "quyết định phê duyệt (số và ngày)" in page

    to_implementing(p, staff_user)
    response = client.post(transition_url(p), {"to": "accepted", "accepted_on": "20/11/2024"})

    assert response.status_code == 400
    page = text(response)
    assert "Còn thiếu: hội đồng nghiệm thu; kết quả “máy móc, thiết bị được hỗ trợ”." in page
    p.refresh_from_db()
    assert p.status == ProjectStatus.IMPLEMENTING
    assert p.accepted_on is None
    assert 'value="20/11/2024"' in response.content.decode()


def test_a_move_the_table_does_not_allow_is_refused(client, staff_user):
    p = project(staff_user)
    client.force_login(staff_user)

    response = client.post(transition_url(p), {"to": "settled", "settled_on": "20/12/2024"})

    assert response.status_code == 400
    assert "Đề án hiện không thể chuyển sang trạng thái đó." in text(response)
    p.refresh_from_db()
    assert p.status == ProjectStatus.PROPOSED


def test_a_project_goes_from_proposal_to_settlement_through_the_pages(client, staff_user, producer_a):
    client.force_login(staff_user)
    assert client.post(CREATE, form_data(beneficiaries=[producer_a.pk])).status_code == 302
    p = Project.objects.get()
    steps = [
        (transition_url(p), {"to": "approved", "approval_number": "512/QĐ-SCT", "approval_date": "01/03/2024"}),
        (transition_url(p), {"to": "contracted", "contract_number": "05/2024/HĐ-KC", "contract_date": "01/04/2024"}),
        (transition_url(p), {"to": "implementing", "note": "Khởi công lắp đặt"}),
        (disburse_url(p), {"source": "local", "amount": "150.000.000", "paid_on": "02/05/2024"}),
        (disburse_url(p), {"source": "local", "amount": "100.000.000", "paid_on": "02/09/2024"}),
        (disburse_url(p), {"source": "counterpart", "amount": "290.000.000", "paid_on": "02/09/2024"}),
        (
            transition_url(p),
            {
                "to": "accepted",
                "accepted_on": "20/11/2024",
                "acceptance_committee": "Hội đồng nghiệm thu Sở Công Thương",
                "machines": "2",
                "jobs_created": "6",
                "private_investment": "1.500.000.000",
            },
        ),
        (
            transition_url(p),
            {
                "to": "settled",
                "settled_on": "20/12/2024",
                "actual_local": "250.000.000",
                "actual_counterpart": "290.000.000",
            },
        ),
    ]
    for url, data in steps:
        response = client.post(url, data)
        assert response.status_code == 302, text(response)[:2000]

    p.refresh_from_db()
    assert p.status == ProjectStatus.SETTLED
    assert (p.approval_number, p.contract_number, p.machines, p.jobs_created) == ("512/QĐ-SCT", "05/2024/HĐ-KC", 2, 6)
    assert p.private_investment == 1_500_000_000
    assert {f.source: f.actual for f in p.fundings.all()} == {"local": 250_000_000, "counterpart": 290_000_000}
    assert list(ProjectStatusLog.objects.filter(project=p).values_list("to_status", flat=True)) == [
        "proposed",
        "approved",
        "contracted",
        "implementing",
        "accepted",
        "settled",
    ]
    page = text(client.get(detail_url(p)))
    assert "Đã quyết toán" in page
    assert "Khởi công lắp đặt" in page
    assert "540.000.000" in page  # actual total
    assert "Đề án đã kết thúc: không còn trạng thái tiếp theo." in page
    update = reverse("extension_projects:staff.project.update", args=[p.pk])
    assert client.get(update).status_code == 404


# -- the list --------------------------------------------------------------------------------------------------------
@pytest.fixture
def listed(staff_user, other_staff_user):
    old_cao_bang = factories.province("Cao Bằng", current=False)
    return {
        "dryer": project(staff_user, code="KCĐP-2024-01"),
        "brand": project(
            staff_user,
            code="KCQG-2022-02",
            title="Xây dựng thương hiệu miến dong Nguyên Bình",
            activity_code="trademark",
            plan_year=2022,
            funding={FundingSource.NATIONAL: 180_000_000},
            beneficiaries=[factories.producer("Hợp tác xã Miến dong Phja Đén", "Cao Bằng", tax_code="4800987654")],
        ),
        "old": project(
            staff_user,
            code="KCĐP-2019-03",
            title="Hỗ trợ máy dệt thổ cẩm",
            plan_year=2019,
            province=old_cao_bang,
            data_quality_note="Tổng và chi tiết theo nguồn không khớp.",
        ),
        "ca_mau": project(other_staff_user, code="CM-2024-01", province="Cà Mau", title="Máy sấy tôm khô"),
    }


def codes(response):
    return sorted(p.code for p in response.context["projects"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["KCQG-2022-02", "KCĐP-2019-03", "KCĐP-2024-01"]),
        ({"q": "lap suon"}, ["KCĐP-2024-01"]),
        ({"q": "kcdp"}, ["KCĐP-2019-03", "KCĐP-2024-01"]),
        ({"q": "THỔ CẨM"}, ["KCĐP-2019-03"]),
        ({"q": "htx tam hoa"}, ["KCĐP-2024-01"]),
        ({"q": "Hợp tác xã Tâm Hòa"}, ["KCĐP-2024-01"]),
        ({"q": "hop tac"}, ["KCQG-2022-02"]),  # a beneficiary's name
        ({"q": "htx phja den"}, ["KCQG-2022-02"]),
        ({"q": "4800987654"}, ["KCQG-2022-02"]),
        ({"source": "national"}, ["KCQG-2022-02"]),
        ({"year_from": "2020", "year_to": "2022"}, ["KCQG-2022-02"]),
        ({"activity_type": "trademark"}, ["KCQG-2022-02"]),
        ({"status": "proposed"}, ["KCQG-2022-02", "KCĐP-2019-03", "KCĐP-2024-01"]),
        ({"status": "settled"}, []),
        ({"flag": "quality"}, ["KCĐP-2019-03"]),
        ({"recorded_province": "old"}, ["KCĐP-2019-03"]),
        ({"province": "today"}, ["KCQG-2022-02", "KCĐP-2019-03", "KCĐP-2024-01"]),
    ],
)
def test_the_list_filters(client, staff_user, listed, params, expected):
    params = dict(params)
    if params.get("activity_type"):
        params["activity_type"] = activity(params["activity_type"]).pk
    if params.get("recorded_province"):
        params["recorded_province"] = factories.province("Cao Bằng", current=False).pk
    if params.get("province"):
        params["province"] = factories.province("Cao Bằng").pk
    client.force_login(staff_user)

    response = client.get(LIST, params)

    assert response.status_code == 200
    assert codes(response) == sorted(expected)


def test_the_list_shows_money_and_the_flag(client, staff_user, listed):
    p = listed["dryer"]
    to_implementing(p, staff_user)
    services.disbursement_add(
        project=p, actor=staff_user, source=FundingSource.LOCAL, amount=120_000_000, paid_on=datetime.date(2024, 5, 2)
    )
    client.force_login(staff_user)

    response = client.get(LIST, {"q": "KCĐP-2024-01"})

    row = next(r for r in response.context["projects"] if r.code == "KCĐP-2024-01")
    assert (row.approved_total, row.disbursed_total) == (550_000_000, 120_000_000)
    page = text(response)
    assert "550.000.000" in page
    assert "120.000.000" in page
    flagged = text(client.get(LIST, {"flag": "quality"}))
    assert "⚠ chất lượng số liệu" in flagged
    assert "nay thuộc Cao Bằng" in flagged


def test_a_superuser_sees_every_province_and_an_officer_only_theirs(client, superuser, other_staff_user, listed):
    client.force_login(superuser)
    assert "CM-2024-01" in codes(client.get(LIST))
    client.force_login(other_staff_user)
    assert codes(client.get(LIST)) == ["CM-2024-01"]
    assert client.get(SUMMARY).context["summary"]["projects"] == 1


def test_summary_figures_link_to_the_list_filtered_accordingly(client, staff_user, listed):
    client.force_login(staff_user)

    response = client.get(SUMMARY, {"year_from": "2019", "year_to": "2022"})

    figures = response.context["summary"]
    assert figures["projects"] == 2
    assert figures["total_amount"] == 180_000_000 + 550_000_000
    national = next(s for s in figures["sources"] if s["source"] == "national")
    assert national["projects"] == 1
    linked = client.get(national["url"])
    assert codes(linked) == ["KCQG-2022-02"]
    assert "data-quality-warning" in response.content.decode()
    assert codes(client.get(response.context["flagged_url"])) == ["KCĐP-2019-03"]


# -- query counts ----------------------------------------------------------------------------------------------------
def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _many(actor, start, n):
    for i in range(start, start + n):
        project(
            actor, code=f"KCĐP-2024-{i:03d}", plan_year=2021 + i % 4, activity_code=("equipment", "trademark")[i % 2]
        )


def test_the_list_and_the_summary_cost_the_same_queries_for_3_and_30_projects(client, staff_user):
    client.force_login(staff_user)
    _many(staff_user, 0, 3)
    small = (_queries(client, LIST), _queries(client, SUMMARY, {"year_from": "2020"}))
    _many(staff_user, 3, 27)
    large = (_queries(client, LIST), _queries(client, SUMMARY, {"year_from": "2020"}))
    assert small == large


def test_the_detail_page_costs_the_same_queries_for_1_and_5_disbursements(client, staff_user, producer_a, producer_b):
    p = project(staff_user, beneficiaries=[producer_a])
    to_implementing(p, staff_user)

    def pay():
        services.disbursement_add(
            project=p,
            actor=staff_user,
            source=FundingSource.LOCAL,
            amount=10_000_000,
            paid_on=datetime.date(2024, 6, 1),
        )

    pay()
    client.force_login(staff_user)
    one = _queries(client, detail_url(p))
    for _ in range(4):
        pay()
    p.beneficiaries.add(producer_b)
    assert _queries(client, detail_url(p)) == one


# -- who may open what -----------------------------------------------------------------------------------------------
LOGIN = "login"
ROLES = {
    "anonymous": None,
    "producer": "producer_user",
    "member": "member_user",
    "staff_ca_mau": "other_staff_user",
    "staff_cao_bang": "staff_user",
    "superuser": "superuser",
}


def outcomes(anonymous, producer, member, staff_ca_mau, staff_cao_bang, superuser):
    return dict(zip(ROLES, (anonymous, producer, member, staff_ca_mau, staff_cao_bang, superuser), strict=True))


@pytest.fixture
def records(staff_user, producer_a):
    """A Cao Bằng project being implemented, with 250 million approved from the local budget."""
    p = project(staff_user, beneficiaries=[producer_a])
    return to_implementing(p, staff_user)


STAFF_PAGE = outcomes(LOGIN, 403, 403, 200, 200, 200)
PROJECT_PAGE = outcomes(LOGIN, 403, 403, 404, 200, 200)
GET_PAGES = [
    ("extension_projects:staff.project.list", lambda r: [], STAFF_PAGE),
    ("extension_projects:staff.project.create", lambda r: [], STAFF_PAGE),
    ("extension_projects:staff.project.summary", lambda r: [], STAFF_PAGE),
    ("extension_projects:staff.project.detail", lambda r: [r.pk], PROJECT_PAGE),
    ("extension_projects:staff.project.update", lambda r: [r.pk], PROJECT_PAGE),
    ("extension_projects:staff.project.cancel", lambda r: [r.pk], PROJECT_PAGE),
    # Each department sets its own rule; superusers are sent to the admin, where they set any department's.
    ("extension_projects:staff.project.code_rule", lambda r: [], outcomes(LOGIN, 403, 403, 200, 200, 302)),
]
# A Cà Mau officer cannot choose Cao Bằng (400) nor find a Cao Bằng project (404).
POSTS = [
    (
        "extension_projects:staff.project.create",
        lambda r: [],
        lambda r: form_data(),
        outcomes(LOGIN, 403, 403, 400, 302, 302),
    ),
    (
        "extension_projects:staff.project.update",
        lambda r: [r.pk],
        lambda r: form_data(title="Tên đã sửa"),
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
    (
        "extension_projects:staff.project.disbursement.add",
        lambda r: [r.pk],
        lambda r: {"source": "local", "amount": "10.000.000", "paid_on": "02/05/2024"},
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
    (
        "extension_projects:staff.project.transition",
        lambda r: [r.pk],
        lambda r: {
            "to": "accepted",
            "accepted_on": "20/11/2024",
            "acceptance_committee": "Hội đồng nghiệm thu Sở Công Thương",
            "machines": "2",
        },
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
    (
        "extension_projects:staff.project.cancel",
        lambda r: [r.pk],
        lambda r: {"cancel_reason": "Cơ sở rút khỏi đề án"},
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
]


def _state(records):
    records.refresh_from_db()
    return (Project.objects.count(), Disbursement.objects.count(), records.status, records.title)


def sign_in(client, request, role):
    if ROLES[role] is not None:
        client.force_login(request.getfixturevalue(ROLES[role]))


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("name", "args", "role", "expected"),
    [pytest.param(name, args, role, exp[role], id=f"{name}-{role}") for name, args, exp in GET_PAGES for role in ROLES],
)
def test_get_answers_by_role(client, request, records, name, args, role, expected):
    sign_in(client, request, role)
    assert_outcome(client.get(reverse(name, args=args(records))), expected)


@pytest.mark.parametrize(
    ("name", "args", "data", "role", "expected"),
    [
        pytest.param(name, args, data, role, exp[role], id=f"{name}-{role}")
        for name, args, data, exp in POSTS
        for role in ROLES
    ],
)
def test_post_answers_by_role_and_changes_nothing_when_refused(
    client, request, records, name, args, data, role, expected
):
    sign_in(client, request, role)
    before = _state(records)

    response = client.post(reverse(name, args=args(records)), data(records))

    assert_outcome(response, expected)
    assert (_state(records) != before) == (expected == 302)


def test_the_post_only_pages_answer_only_post(client, staff_user, records):
    client.force_login(staff_user)
    for name in ("staff.project.disbursement.add", "staff.project.transition"):
        assert client.get(reverse(f"extension_projects:{name}", args=[records.pk])).status_code == 405


def test_matrix_covers_every_project_url():
    modules = {project_views.__name__, project_actions.__name__}
    names = {f"extension_projects:{p.name}" for p in urlpatterns if p.callback.__module__ in modules}
    # The code rule's POST has its own role table (tests/extension_projects/test_project_forms.py).
    posts = {name for name, *_ in POSTS} | {"extension_projects:staff.project.code_rule"}
    assert names == {name for name, *_ in GET_PAGES} | posts
    assert all(name.startswith("extension_projects:staff.project.") for name in names)


def test_staff_navigation_links_to_the_projects(client, staff_user):
    client.force_login(staff_user)
    assert f'<a href="{LIST}">Đề án khuyến công</a>' in client.get(LIST).content.decode()
