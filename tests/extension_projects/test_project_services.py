"""Khuyến công projects: the lifecycle through one transition, money per source, limits as warnings."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from extension_projects import services
from extension_projects.enums import FundingSource, ProjectStatus
from extension_projects.models import Project, ProjectStatusLog
from tests import factories

from .helpers import project, to_implementing

pytestmark = pytest.mark.django_db


def test_a_project_goes_from_proposal_to_settlement(staff_user, producer_a):
    p = project(
        staff_user,
        beneficiaries=[producer_a],
        funding={FundingSource.LOCAL: 250_000_000, FundingSource.COUNTERPART: 300_000_000},
    )
    assert p.status == ProjectStatus.PROPOSED
    with pytest.raises(ValidationError) as exc:
        services.project_transition(project=p, to=ProjectStatus.APPROVED, actor=staff_user)
    assert "quyết định phê duyệt" in " ".join(exc.value.messages)
    to_implementing(p, staff_user)
    services.disbursement_add(
        project=p, actor=staff_user, source=FundingSource.LOCAL, amount=150_000_000, paid_on=datetime.date(2024, 5, 2)
    )
    services.disbursement_add(
        project=p, actor=staff_user, source=FundingSource.LOCAL, amount=100_000_000, paid_on=datetime.date(2024, 9, 2)
    )
    with pytest.raises(ValidationError) as exc:
        services.project_transition(
            project=p, to=ProjectStatus.ACCEPTED, actor=staff_user, accepted_on=datetime.date(2024, 11, 20)
        )
    assert "hội đồng nghiệm thu" in " ".join(exc.value.messages)
    services.project_transition(
        project=p,
        to=ProjectStatus.ACCEPTED,
        actor=staff_user,
        accepted_on=datetime.date(2024, 11, 20),
        acceptance_committee="Hội đồng nghiệm thu Sở Công Thương",
        machines=2,
        jobs_created=6,
    )
    services.project_transition(
        project=p,
        to=ProjectStatus.SETTLED,
        actor=staff_user,
        settled_on=datetime.date(2024, 12, 20),
        actual={FundingSource.LOCAL: 250_000_000, FundingSource.COUNTERPART: 290_000_000},
    )
    p.refresh_from_db()
    assert p.status == ProjectStatus.SETTLED
    assert [log.to_status for log in ProjectStatusLog.objects.filter(project=p)] == [
        "proposed",
        "approved",
        "contracted",
        "implementing",
        "accepted",
        "settled",
    ]
    with pytest.raises(ValidationError):
        services.project_transition(project=p, to=ProjectStatus.CANCELLED, actor=staff_user, cancel_reason="x")


def test_a_disbursement_over_the_approved_amount_is_refused_with_the_figures(staff_user):
    p = project(staff_user)
    to_implementing(p, staff_user)
    services.disbursement_add(
        project=p, actor=staff_user, source=FundingSource.LOCAL, amount=200_000_000, paid_on=datetime.date(2024, 5, 2)
    )
    with pytest.raises(ValidationError) as exc:
        services.disbursement_add(
            project=p,
            actor=staff_user,
            source=FundingSource.LOCAL,
            amount=50_000_001,
            paid_on=datetime.date(2024, 6, 2),
        )
    message = " ".join(exc.value.messages)
    for figure in ["250.000.000", "200.000.000", "50.000.001", "50.000.000"]:
        assert figure in message
    assert p.disbursements.count() == 1
    with pytest.raises(ValidationError):  # nothing approved from the national budget
        services.disbursement_add(
            project=p, actor=staff_user, source=FundingSource.NATIONAL, amount=1, paid_on=datetime.date(2024, 6, 2)
        )


def test_exceeding_a_support_limit_needs_a_note(staff_user):
    with pytest.raises(ValidationError) as exc:
        project(staff_user, funding={FundingSource.LOCAL: 350_000_000, FundingSource.COUNTERPART: 400_000_000})
    assert "300.000.000" in " ".join(exc.value.messages)
    assert not Project.objects.exists()
    p = project(
        staff_user,
        funding={FundingSource.LOCAL: 350_000_000, FundingSource.COUNTERPART: 400_000_000},
        limit_note="Thiết bị đồng bộ, UBND tỉnh đồng ý",
    )
    assert p.fundings.get(source=FundingSource.LOCAL).approved == 350_000_000
    assert p.limit_note


def test_only_staff_of_the_province_manage_projects(staff_user, other_staff_user, producer_user):
    with pytest.raises(PermissionDenied):
        project(other_staff_user)
    p = project(staff_user)
    for outsider in (other_staff_user, producer_user):
        with pytest.raises(PermissionDenied):
            services.project_transition(project=p, to=ProjectStatus.CANCELLED, actor=outsider, cancel_reason="x")


def test_a_project_recorded_in_an_old_province_is_found_under_todays(staff_user):
    old = factories.province("Bạc Liêu", current=False)
    camau_staff = factories.UserFactory(role="staff", organization=factories.organization("Cà Mau"), is_staff=True)
    p = project(camau_staff, province=old, code="KC-BL-2019")
    assert p.current_province.name == "Cà Mau"
    assert p.province == old
