"""The khuyến công form as testers asked for it: a searchable checkbox list of beneficiaries (own province only,
works without JavaScript), codes given by the department's rule, the title labelled "Tên đề án", and cancelling
as its own action with a reason (staff page and admin, one service)."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from extension_projects import services
from extension_projects.enums import ProjectStatus
from extension_projects.models import Project, ProjectCodeRule, ProjectStatusLog
from tests import factories

from .helpers import activity, project, to_implementing
from .test_project_views import form_data

pytestmark = pytest.mark.django_db

CREATE = reverse("extension_projects:staff.project.create")
CODE_RULE = reverse("extension_projects:staff.project.code_rule")
CHANGELIST = reverse("admin:extension_projects_project_changelist")


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def cancel_url(p):
    return reverse("extension_projects:staff.project.cancel", args=[p.pk])


def listed(response) -> set[str]:
    """The producers offered as checkboxes on the form."""
    return {p.name for p in response.context["form"].fields["beneficiaries"].queryset}


# -- the form: labels, code shown read-only, the picker -------------------------------------------------------------
def test_the_form_says_ten_de_an_and_offers_checkboxes(client, staff_user, producer_a):
    client.force_login(staff_user)
    response = client.get(CREATE)
    page = text(response)
    html = response.content.decode()
    assert "Tên đề án" in page
    assert "Tên đợt" not in page
    assert "Được cấp khi lưu đề án, theo quy tắc đánh mã của Sở." in page
    assert 'name="code"' not in html
    assert re.search(rf'type="checkbox" name="beneficiaries" value="{producer_a.pk}"', html)
    assert "Tìm cơ sở thụ hưởng" in page


def test_search_by_get_lists_only_matching_producers_of_the_province(
    client, staff_user, producer_a, producer_b, producer_other_province
):
    client.force_login(staff_user)
    assert listed(client.get(CREATE)) == {"HTX Tâm Hòa", "Công ty TNHH MTV 688"}
    assert listed(client.get(CREATE, {"q": "tam hoa"})) == {"HTX Tâm Hòa"}
    # Another province's producer is never offered, even by name.
    assert listed(client.get(CREATE, {"q": "Tân Phát Lợi"})) == set()


def test_the_search_button_keeps_what_was_typed_and_the_ticked_producers(client, staff_user, producer_a, producer_b):
    client.force_login(staff_user)
    data = form_data(title="Đề án đang soạn dở", beneficiaries=[producer_a.pk], q="688", find="1")

    response = client.post(CREATE, data)

    assert response.status_code == 200
    assert not Project.objects.exists()
    assert listed(response) == {"HTX Tâm Hòa", "Công ty TNHH MTV 688"}  # the ticked one stays listed
    html = response.content.decode()
    assert "Đề án đang soạn dở" in html
    assert re.search(rf'value="{producer_a.pk}"[^>]*checked', html)
    assert 'class="error"' not in html


def test_a_producer_of_another_province_is_refused(client, staff_user, producer_other_province):
    client.force_login(staff_user)
    response = client.post(CREATE, form_data(beneficiaries=[producer_other_province.pk]))
    assert response.status_code == 400
    assert not Project.objects.exists()


# -- codes by the department's rule ---------------------------------------------------------------------------------
def test_codes_follow_the_default_rule_then_the_departments_own(client, staff_user):
    client.force_login(staff_user)
    client.post(CREATE, form_data(title="Đề án một"))
    client.post(CREATE, form_data(title="Đề án hai", code="GÕ-TAY-01"))  # a typed code is not taken from staff
    assert client.get(CODE_RULE).context["next_code"].startswith("KC-")

    response = client.post(CODE_RULE, {"pattern": "SCT-CB/{year}/{seq:04d}"})
    assert response.status_code == 302
    client.post(CREATE, form_data(title="Đề án ba"))

    codes = dict(Project.objects.values_list("title", "code"))
    assert codes == {"Đề án một": "KC-2024-001", "Đề án hai": "KC-2024-002", "Đề án ba": "SCT-CB/2024/0003"}
    page = text(client.get(Project.objects.get(title="Đề án ba").get_absolute_url()))
    assert "SCT-CB/2024/0003" in page


def test_a_code_already_taken_is_skipped(staff_user, superuser):
    project(superuser, code="KC-2024-001")
    created = project(staff_user, code="", title="Đề án mới")
    assert created.code == "KC-2024-002"


def test_a_superuser_may_type_a_code(client, superuser):
    client.force_login(superuser)
    assert client.post(CREATE, form_data(code="KCQG-2024-05")).status_code == 302
    assert Project.objects.get().code == "KCQG-2024-05"


def test_a_bad_pattern_is_refused_in_vietnamese_and_nothing_changes(client, staff_user):
    client.force_login(staff_user)
    response = client.post(CODE_RULE, {"pattern": "KC-{year}"})
    assert response.status_code == 400
    assert "Mẫu mã phải có {seq}, số thứ tự đề án trong năm." in text(response)
    assert 'value="KC-{year}"' in response.content.decode()
    response = client.post(CODE_RULE, {"pattern": "KC-{tinh}-{seq}"})
    assert "Không nhận ra {tinh}" in text(response)
    assert not ProjectCodeRule.objects.exists()


def test_each_department_sets_only_its_own_rule(client, staff_user, other_staff_user):
    client.force_login(other_staff_user)
    page = text(client.get(CODE_RULE))
    assert "Sở Công Thương tỉnh Cà Mau" in page
    assert client.post(CODE_RULE, {"pattern": "CM-{year}-{seq}"}).status_code == 302
    rule = ProjectCodeRule.objects.get()
    assert rule.organization == factories.organization("Cà Mau")
    cao_bang = factories.organization("Cao Bằng")
    assert services.code_rule_for(cao_bang).pattern == "KC-{year}-{seq:03d}"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("producer_user", 403), ("member_user", 403), ("superuser", 302)],
)
def test_code_rule_post_by_other_roles_changes_nothing(client, request, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(CODE_RULE, {"pattern": "X-{seq}"})
    if expected == "login":
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected
    assert not ProjectCodeRule.objects.exists()


# -- cancelling -------------------------------------------------------------------------------------------------------
@pytest.fixture
def running(staff_user, producer_a):
    return to_implementing(project(staff_user, beneficiaries=[producer_a]), staff_user)


def _state(p):
    p.refresh_from_db()
    return p.status, p.cancel_reason, ProjectStatusLog.objects.filter(project=p).count()


def test_the_project_page_links_to_cancel_and_the_confirmation_asks_for_a_reason(client, staff_user, running):
    client.force_login(staff_user)
    detail = client.get(running.get_absolute_url()).content.decode()
    assert cancel_url(running) in detail
    assert 'name="to" value="cancelled"' not in detail
    page = text(client.get(cancel_url(running)))
    assert "Hủy đề án" in page
    assert "Sau khi hủy, đề án không thể sửa" in page
    assert "Xác nhận hủy" in page


def test_cancelling_records_the_reason_and_the_status_log(client, staff_user, running):
    client.force_login(staff_user)
    response = client.post(cancel_url(running), {"cancel_reason": "Cơ sở rút khỏi đề án"})
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.status == ProjectStatus.CANCELLED
    assert running.cancel_reason == "Cơ sở rút khỏi đề án"
    log = ProjectStatusLog.objects.filter(project=running).latest("at", "id")
    assert (log.to_status, log.note, log.actor) == (ProjectStatus.CANCELLED, "Cơ sở rút khỏi đề án", staff_user)
    assert "Cơ sở rút khỏi đề án" in text(client.get(running.get_absolute_url()))


def test_cancelling_without_a_reason_is_refused(client, staff_user, running):
    client.force_login(staff_user)
    before = _state(running)
    response = client.post(cancel_url(running), {"cancel_reason": "  "})
    assert response.status_code == 400
    assert "Nhập lý do hủy đề án." in text(response)
    assert _state(running) == before


def test_the_transition_form_no_longer_cancels(client, staff_user, running):
    client.force_login(staff_user)
    before = _state(running)
    url = reverse("extension_projects:staff.project.transition", args=[running.pk])
    assert client.post(url, {"to": "cancelled", "cancel_reason": "Thử"}).status_code == 400
    assert _state(running) == before


def _accepted(p, actor):
    return services.project_transition(
        project=p,
        to=ProjectStatus.ACCEPTED,
        actor=actor,
        accepted_on=datetime.date(2024, 11, 20),
        acceptance_committee="Hội đồng nghiệm thu",
        machines=2,
    )


def test_an_accepted_project_cannot_be_cancelled(client, staff_user, running):
    _accepted(running, staff_user)
    client.force_login(staff_user)
    before = _state(running)
    assert cancel_url(running) not in client.get(running.get_absolute_url()).content.decode()
    response = client.post(cancel_url(running), {"cancel_reason": "Muộn rồi"}, follow=True)
    assert "không thể hủy" in text(response)
    assert client.get(cancel_url(running)).status_code == 302
    assert _state(running) == before


def test_another_provinces_staff_get_404(client, other_staff_user, running):
    client.force_login(other_staff_user)
    before = _state(running)
    assert client.get(cancel_url(running)).status_code == 404
    assert client.post(cancel_url(running), {"cancel_reason": "Không phải tỉnh mình"}).status_code == 404
    assert _state(running) == before


def test_the_admin_cancels_through_the_same_service(client, superuser, staff_user, running):
    other = project(staff_user, code="KCĐP-2024-02", activity_type=activity("equipment"))
    _accepted(running, staff_user)
    client.force_login(superuser)
    action = {"action": "cancel_projects", "_selected_action": [running.pk, other.pk]}

    confirm = client.post(CHANGELIST, action)
    assert confirm.status_code == 200
    assert "Các đề án sau sẽ bị hủy" in text(confirm)
    assert Project.objects.get(pk=other.pk).status == ProjectStatus.PROPOSED

    assert client.post(CHANGELIST, {**action, "confirm": "1", "cancel_reason": ""}).status_code == 200
    assert Project.objects.get(pk=other.pk).status == ProjectStatus.PROPOSED

    done = client.post(CHANGELIST, {**action, "confirm": "1", "cancel_reason": "Hết kinh phí"}, follow=True)
    other.refresh_from_db()
    assert other.status == ProjectStatus.CANCELLED
    assert other.cancel_reason == "Hết kinh phí"
    assert ProjectStatusLog.objects.filter(project=other, to_status=ProjectStatus.CANCELLED).exists()
    assert Project.objects.get(pk=running.pk).status == ProjectStatus.ACCEPTED  # refused, named in a message
    assert "KCĐP-2024-01" in text(done)
