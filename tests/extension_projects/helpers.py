"""Projects and fairs built through the services, as the staff pages build them."""

import datetime

from extension_projects import services
from extension_projects.enums import FundingSource, ProjectStatus
from extension_projects.models import ActivityType
from tests import factories

# Demonstration equipment: the province pays at most half of the cost (and 300 million per establishment).
DEFAULT_FUNDING = {FundingSource.LOCAL: 250_000_000, FundingSource.COUNTERPART: 300_000_000}


def activity(code="equipment") -> ActivityType:
    return ActivityType.objects.get(code=code)


def project(actor, *, code="KCĐP-2024-01", activity_code="equipment", province="Cao Bằng", funding=None, **extra):
    data = {
        "code": code,
        "title": "Hỗ trợ máy sấy lạp sườn cho HTX Tâm Hòa",
        "activity_type": activity(activity_code),
        "plan_year": 2024,
        "province": factories.province(province) if isinstance(province, str) else province,
        "implementer": "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Cao Bằng",
    }
    data.update(extra)
    return services.project_create(actor=actor, funding=funding if funding is not None else DEFAULT_FUNDING, **data)


def to_implementing(project_obj, actor):
    services.project_transition(
        project=project_obj,
        to=ProjectStatus.APPROVED,
        actor=actor,
        approval_number="512/QĐ-SCT",
        approval_date=datetime.date(2024, 3, 1),
    )
    services.project_transition(
        project=project_obj,
        to=ProjectStatus.CONTRACTED,
        actor=actor,
        contract_number="05/2024/HĐ-KC",
        contract_date=datetime.date(2024, 4, 1),
    )
    return services.project_transition(project=project_obj, to=ProjectStatus.IMPLEMENTING, actor=actor)
