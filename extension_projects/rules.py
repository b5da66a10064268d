"""Who may manage khuyến công projects and fairs: staff of the project's province today; superusers all."""

from django.utils.translation import gettext_lazy as _

from portal.accounts.enums import Role


def can_manage_province(user, province_today_id) -> tuple[bool, str]:
    if not (user and user.is_authenticated and user.is_active):
        return False, _("Please sign in.")
    if user.is_superuser:
        return True, ""
    if user.role != Role.STAFF or not user.organization_id:
        return False, _("Only department staff manage extension projects.")
    if user.organization.province_id and user.organization.province_id == province_today_id:
        return True, ""
    return False, _("This project belongs to another province.")
