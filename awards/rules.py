"""Who may manage award rounds. Predicates return (allowed, reason)."""

from django.utils.translation import gettext_lazy as _

from portal.accounts.enums import Role
from products.enums import OrganizationKind

from .enums import AreaKind


def _staff_org(user):
    if not (user and user.is_authenticated and user.is_active and user.role == Role.STAFF):
        return None
    return user.organization


def can_manage_round(user, round_) -> tuple[bool, str]:
    if user.is_authenticated and user.is_superuser:
        return True, ""
    org = _staff_org(user)
    if org is None:
        return False, _("Only department staff manage rounds.")
    if round_.level.area_kind in (AreaKind.REGION, AreaKind.NATIONAL):
        if org.kind == OrganizationKind.MINISTRY_AGENCY:
            return True, ""
        return False, _("Region and national rounds are managed by the ministry agency.")
    if org.province_id and org.province_id == round_.province_id:
        return True, ""
    return False, _("This round belongs to another province.")


def can_create_rounds(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or _staff_org(user) is not None))


def can_manage_recognition(user, recognition) -> tuple[bool, str]:
    """Certificates of a recognition: the managers of the round whose decision made it, or — for recognitions
    recorded from the archive — the staff of the producer's province today."""
    if user.is_authenticated and user.is_superuser:
        return True, ""
    org = _staff_org(user)
    if org is None:
        return False, _("Only department staff manage certificates.")
    if recognition.decision_id:
        return can_manage_round(user, recognition.decision.round)
    if org.province_id and org.province_id == recognition.product.producer.current_province_id:
        return True, ""
    return False, _("This product belongs to another province.")


def can_record_recognition(user, product, level=None) -> tuple[bool, str]:
    """A province's department records the recognitions of its own producers' products (at any level: it keeps
    copies of the region and national decisions too); the ministry agency records region and national ones."""
    if user.is_authenticated and user.is_superuser:
        return True, ""
    org = _staff_org(user)
    if org is None:
        return False, _("Only department staff record recognitions.")
    if org.kind == OrganizationKind.MINISTRY_AGENCY:
        if level is None or level.area_kind in (AreaKind.REGION, AreaKind.NATIONAL):
            return True, ""
        return False, _("The ministry agency records region and national recognitions only.")
    if org.province_id and org.province_id == product.producer.current_province_id:
        return True, ""
    return False, _("This product belongs to a producer of another province.")


def can_set_ocop_target(user, province) -> tuple[bool, str]:
    """A province's OCOP targets are set by its own department (today's province); superusers set any."""
    if user.is_authenticated and user.is_superuser:
        return True, ""
    org = _staff_org(user)
    if org is None:
        return False, _("Only department staff set OCOP targets.")
    if org.province_id and province is not None and org.province_id == province.pk:
        return True, ""
    return False, _("These targets belong to another province.")
