"""The back office of khuyến công projects: scoped to the officer's province like the registry, status read-only
(it changes through the transitions of the staff page), Excel import with the staff import pages' resource (rows of
the officer's own province only), export with the approved amounts."""

import pytest
import tablib
from django.urls import reverse

from extension_projects.enums import FundingSource, ProjectStatus
from extension_projects.models import Project
from extension_projects.resources import ProjectResource
from portal.accounts.roles import ensure_staff_group
from tests import factories

from .helpers import project

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:extension_projects_project_changelist")
IMPORT = reverse("admin:extension_projects_project_import")


@pytest.fixture
def admin_staff(staff_user):
    staff_user.groups.add(ensure_staff_group())
    return staff_user


@pytest.fixture
def projects(staff_user, other_staff_user):
    return {
        "cao_bang": project(staff_user, code="KCĐP-2024-01"),
        "old_cao_bang": project(
            staff_user, code="KCĐP-2019-02", plan_year=2019, province=factories.province("Cao Bằng", current=False)
        ),
        "ca_mau": project(other_staff_user, code="CM-2024-01", province="Cà Mau"),
    }


def codes(response):
    return sorted(p.code for p in response.context["cl"].result_list)


def test_an_officer_sees_the_projects_of_their_province_today(client, admin_staff, projects):
    client.force_login(admin_staff)

    assert codes(client.get(CHANGELIST)) == ["KCĐP-2019-02", "KCĐP-2024-01"]
    other = reverse("admin:extension_projects_project_change", args=[projects["ca_mau"].pk])
    assert client.get(other).status_code == 302  # "does not exist": back to the admin index


def test_a_superuser_sees_every_project(client, superuser, projects):
    client.force_login(superuser)
    assert codes(client.get(CHANGELIST)) == ["CM-2024-01", "KCĐP-2019-02", "KCĐP-2024-01"]


def _change_data(p, **changes):
    data = {
        "code": p.code,
        "title": p.title,
        "activity_type": p.activity_type_id,
        "plan_year": p.plan_year,
        "province": p.province_id,
        "implementer": p.implementer,
        "status": ProjectStatus.SETTLED,  # not a field of the form: ignored
    }
    for prefix in ("fundings", "disbursements", "status_log"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"}
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    data.update(changes)
    return data


def test_status_is_read_only_and_links_to_the_staff_page(client, admin_staff, projects):
    p = projects["cao_bang"]
    client.force_login(admin_staff)
    url = reverse("admin:extension_projects_project_change", args=[p.pk])

    page = client.get(url).content.decode()
    assert 'name="status"' not in page
    assert p.get_absolute_url() in page

    response = client.post(url, _change_data(p, title="Hỗ trợ máy sấy lạp sườn (điều chỉnh)"))

    assert response.status_code == 302
    p.refresh_from_db()
    assert p.title == "Hỗ trợ máy sấy lạp sườn (điều chỉnh)"
    assert p.status == ProjectStatus.PROPOSED
    assert p.fundings.get(source=FundingSource.LOCAL).approved == 250_000_000


def test_import_is_for_staff_and_superusers(client, admin_staff, superuser, member_user):
    client.force_login(admin_staff)
    assert client.get(IMPORT).status_code == 200
    client.force_login(superuser)
    assert client.get(IMPORT).status_code == 200
    client.force_login(member_user)
    assert client.get(IMPORT).status_code == 302  # not admin staff: to the admin's sign-in


def test_an_import_row_records_the_province_as_it_was(superuser):
    old_dong_thap = factories.province("Đồng Tháp", current=False)
    dataset = tablib.Dataset(
        headers=["Mã đề án", "Tên đề án", "Loại hoạt động", "Năm kế hoạch", "Tỉnh/thành phố", "Đơn vị thực hiện"]
    )
    dataset.append(
        ["DT-2016-X01", "Hỗ trợ máy ép bánh phồng tôm", "equipment", 2016, "Đồng Tháp (trước 01/07/2025)", "TT KC"]
    )

    result = ProjectResource(actor=superuser).import_data(dataset, dry_run=False)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    p = Project.objects.get(code="DT-2016-X01")
    assert p.province == old_dong_thap
    assert p.current_province == factories.province("Đồng Tháp")
    assert p.status == ProjectStatus.PROPOSED


def test_the_export_carries_the_approved_amounts(projects):
    exported = ProjectResource().export(Project.objects.filter(code="KCĐP-2024-01"))
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["Kinh phí KCĐP (đồng)"] == "250.000.000"
    assert row["Vốn đối ứng (đồng)"] == "300.000.000"
    assert row["Trạng thái"] == "Đề xuất"


def test_in_the_admin_only_a_superuser_changes_a_code(client, admin_staff, superuser, projects):
    p = projects["cao_bang"]
    url = reverse("admin:extension_projects_project_change", args=[p.pk])
    client.force_login(admin_staff)
    assert 'name="code"' not in client.get(url).content.decode()
    assert client.post(url, _change_data(p, code="GÕ-TAY-09")).status_code == 302
    p.refresh_from_db()
    assert p.code == "KCĐP-2024-01"

    client.force_login(superuser)
    assert client.post(url, _change_data(p, code="KCĐP-2024-01A")).status_code == 302
    p.refresh_from_db()
    assert p.code == "KCĐP-2024-01A"


def test_a_project_added_in_the_admin_without_a_code_gets_the_rules_next(client, superuser):
    client.force_login(superuser)
    factories.organization("Cao Bằng")  # the department whose rule numbers the province's projects
    p = project(superuser, code="KCĐP-2024-01")
    data = _change_data(p, code="", title="Đề án thêm từ trang quản trị")
    response = client.post(reverse("admin:extension_projects_project_add"), data)
    assert response.status_code == 302
    assert Project.objects.get(title="Đề án thêm từ trang quản trị").code == "KC-2024-001"
