"""How khuyến công records reach a province (read by portal.core.access): a project or fair belongs to the
province it is in today (those recorded under a province merged in 2025 included)."""

from django.utils.translation import gettext_lazy as _

from portal.core.access import Reach, Rule, is_signed_in, is_staff, is_superuser, province_scope, register

from .models import (
    ActivityType,
    Disbursement,
    Fair,
    FairParticipation,
    Project,
    ProjectCodeCounter,
    ProjectCodeRule,
    ProjectFunding,
    ProjectStatusLog,
    SupportLimit,
)

for reference in (ActivityType, SupportLimit):
    register(reference, Rule(reference=True))
register(Project, Rule(province=("current_province",)))
register(Fair, Rule(province=("current_province",)))
# A department edits its code rule on the staff page (services.project_code_rule_set checks the province); in the
# admin the rules and the counters are superusers' only.
register(ProjectCodeRule, Rule(superuser_only=True))
register(ProjectCodeCounter, Rule(superuser_only=True))
for child in (ProjectFunding, Disbursement, ProjectStatusLog):
    register(child, Rule(via="project"))
register(FairParticipation, Rule(via="fair", producer="producer"))


def can_manage_province(user, province_today_id) -> tuple[bool, str]:
    """Projects and fairs are managed by the staff of their province today; superusers manage all."""
    if not is_signed_in(user):
        return False, _("Please sign in.")
    if is_superuser(user):
        return True, ""
    scope = province_scope(user, write=True)
    if not is_staff(user) or scope.reach is not Reach.PROVINCE:
        return False, _("Only department staff manage extension projects.")
    if scope.province_id == province_today_id:
        return True, ""
    return False, _("This project belongs to another province.")
