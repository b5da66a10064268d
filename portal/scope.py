"""Who may read the cross-domain pages (dashboards, reports, exports, imports) and for which provinces.

Department staff read and import for their own province (today's); a ministry official (role "ministry") and a
superuser read every province (the national view). Only staff and superusers import: a ministry account
writes nothing."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from portal.accounts.enums import Role
from products.rules import is_staff


def is_national(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.MINISTRY))


def can_read_reports(user) -> bool:
    return is_staff(user) or is_national(user)


def report_province_id(user):
    """Today's province whose figures the user reads, or None for every province (national accounts)."""
    if is_national(user):
        return None
    return user.organization.province_id if user.organization_id else -1


class ReportReaderRequiredMixin(AccessMixin):
    """Dashboards and reports: department staff (own province) and national accounts (all provinces)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_read_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
