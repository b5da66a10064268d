"""Who imports historical data: department staff (rows of their own province only, checked row by row by the
resources) and superusers (any province). Ministry officials, producers and council members do not."""

from django.utils.translation import gettext as _

from products.rules import is_staff, staff_province_id


def can_import(user) -> tuple[bool, str]:
    if not (user and user.is_authenticated and user.is_active):
        return False, _("Please sign in.")
    if not is_staff(user):
        return False, _("Only department staff import data.")
    return True, ""


def can_manage_batch(user, batch) -> tuple[bool, str]:
    allowed, reason = can_import(user)
    if not allowed:
        return allowed, reason
    province = staff_province_id(user)
    if province is None or province == batch.province_id:
        return True, ""
    return False, _("This import belongs to another province.")


def batches_visible_to(user):
    from ..models import ImportBatch

    qs = ImportBatch.objects.select_related("uploaded_by", "confirmed_by", "province")
    province = staff_province_id(user)
    return qs if province is None else qs.filter(province_id=province)
