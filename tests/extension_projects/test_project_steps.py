"""The department's next step on each project — approval, contract, a tranche of the state budget, acceptance,
settlement — counted for the task inbox (`project_steps`) and offered as the list's "Bước tiếp theo" filter with
the same meaning; another province's projects are neither counted nor listed."""

import datetime

import pytest
from django.urls import reverse

from extension_projects import services
from extension_projects.enums import FundingSource, ProjectStatus, ProjectStep
from extension_projects.selectors import project_steps

from .helpers import project, to_implementing

pytestmark = pytest.mark.django_db

LIST = reverse("extension_projects:staff.project.list")


@pytest.fixture
def projects(staff_user, other_staff_user):
    proposed = project(staff_user, code="KC-01")
    approved = project(staff_user, code="KC-02")
    services.project_transition(
        project=approved,
        to=ProjectStatus.APPROVED,
        actor=staff_user,
        approval_number="1/QĐ-SCT",
        approval_date=datetime.date(2024, 3, 1),
    )
    unpaid = to_implementing(project(staff_user, code="KC-03"), staff_user)
    paid = to_implementing(project(staff_user, code="KC-04"), staff_user)
    # The whole local budget paid; the counterpart capital is the beneficiary's and is no tranche of the department.
    services.disbursement_add(
        project=paid,
        actor=staff_user,
        source=FundingSource.LOCAL,
        amount=250_000_000,
        paid_on=datetime.date(2024, 5, 1),
    )
    project(other_staff_user, code="KC-CM-01", province="Cà Mau")
    return {"proposed": proposed, "approved": approved, "unpaid": unpaid, "paid": paid}


def test_each_step_counts_the_officers_projects(staff_user, projects):
    assert project_steps(staff_user) == {
        ProjectStep.APPROVAL: 1,
        ProjectStep.CONTRACT: 1,
        ProjectStep.TRANCHE: 1,
        ProjectStep.ACCEPTANCE: 2,
        ProjectStep.SETTLEMENT: 0,
    }


def test_ministry_officials_and_producers_have_no_steps(ministry_user, producer_user, projects):
    assert set(project_steps(ministry_user).values()) == {0}
    assert set(project_steps(producer_user).values()) == {0}


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (ProjectStep.APPROVAL, {"proposed"}),
        (ProjectStep.CONTRACT, {"approved"}),
        (ProjectStep.TRANCHE, {"unpaid"}),
        (ProjectStep.ACCEPTANCE, {"unpaid", "paid"}),
        (ProjectStep.SETTLEMENT, set()),
    ],
)
def test_the_list_filters_by_step(client, staff_user, projects, step, expected):
    client.force_login(staff_user)
    response = client.get(LIST, {"step": step.value})
    assert response.status_code == 200
    assert {p.pk for p in response.context["projects"]} == {projects[name].pk for name in expected}
