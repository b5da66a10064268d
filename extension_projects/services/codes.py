"""Project codes: each department's rule (its own pattern) and the next code, handed out under a row lock so two
officers saving at once never get the same number."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from products.enums import OrganizationKind
from products.models import Organization

from ..access import can_manage_province
from ..models import Project, ProjectCodeCounter, ProjectCodeRule
from ..models.codes import DEFAULT_PATTERN, render_code

MAX_SKIPS = 1000  # codes already taken (typed by hand, imported) are skipped, but not for ever


def department_of(province_today_id) -> Organization | None:
    """The Department of Industry and Trade of a province today: the body whose rule numbers its projects."""
    if province_today_id is None:
        return None
    return (
        Organization.objects.filter(kind=OrganizationKind.DEPARTMENT, province_id=province_today_id)
        .order_by("pk")
        .first()
    )


def code_rule_for(department: Organization) -> ProjectCodeRule:
    """The department's rule as saved, or the default pattern (not saved) when it has not set one."""
    return ProjectCodeRule.objects.filter(organization=department).first() or ProjectCodeRule(
        organization=department, pattern=DEFAULT_PATTERN
    )


def code_preview(department: Organization, year: int) -> str:
    counter = ProjectCodeCounter.objects.filter(organization=department, year=year).first()
    return render_code(code_rule_for(department).pattern, year=year, seq=(counter.last if counter else 0) + 1)


@transaction.atomic
def project_code_next(*, province_today_id, year: int) -> str:
    """The next free code of the province's department for `year`; the counter row stays locked until the
    caller's transaction ends, so a concurrent save waits and takes the following number."""
    department = department_of(province_today_id)
    if department is None:
        raise ValidationError(
            {"code": _("No Department of Industry and Trade is recorded for this province: the code cannot be given.")}
        )
    pattern = code_rule_for(department).pattern
    counter, _created = ProjectCodeCounter.objects.select_for_update().get_or_create(organization=department, year=year)
    for _attempt in range(MAX_SKIPS):
        counter.last += 1
        code = render_code(pattern, year=year, seq=counter.last)
        if not Project.objects.filter(code=code).exists():
            counter.save(update_fields=["last"])
            return code
    raise ValidationError({"code": _("No free project code: change the department's code pattern.")})


@transaction.atomic
def project_code_rule_set(*, department: Organization, actor, pattern: str) -> ProjectCodeRule:
    """The department's staff (or a superuser) set its pattern; codes already given stay as they are."""
    allowed, reason = can_manage_province(actor, department.province_id)
    if not allowed or department.kind != OrganizationKind.DEPARTMENT:
        raise PermissionDenied(reason)
    rule = ProjectCodeRule.objects.select_for_update().filter(organization=department).first()
    rule = rule or ProjectCodeRule(organization=department)
    rule.pattern = pattern.strip()
    rule.full_clean()
    rule.save()
    return rule
