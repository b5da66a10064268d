"""Who may see and change registry records. Each predicate returns (allowed, reason) so a refusal can be
explained; views use `allowed` only and answer 403/404."""

from django.utils.translation import gettext_lazy as _

from portal.accounts.enums import Role


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.STAFF))


def is_ministry(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.MINISTRY)


def can_read_lists(user) -> bool:
    """Department staff, superusers and ministry officials (read-only, every province) open the lists that
    dashboards link to: recognitions, OCOP ratings, khuyến công projects and fairs."""
    return is_staff(user) or is_ministry(user)


def staff_province_id(user):
    """Today's province a staff member manages, or None for a superuser (all provinces)."""
    if user.is_superuser:
        return None
    return user.organization.province_id if user.organization_id else -1


def can_manage_producer(user, producer) -> tuple[bool, str]:
    if not (user and user.is_authenticated and user.is_active):
        return False, _("Please sign in.")
    if user.is_superuser:
        return True, ""
    if user.role == Role.STAFF:
        if user.organization_id and user.organization.province_id == producer.current_province_id:
            return True, ""
        return False, _("This producer is outside your province.")
    if user.role == Role.PRODUCER and user.producer_id == producer.pk:
        return True, ""
    return False, _("You do not have access to this producer.")


def can_manage_product(user, product) -> tuple[bool, str]:
    return can_manage_producer(user, product.producer)
