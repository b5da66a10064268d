"""Who imports historical data (read by portal.core.access): department staff, rows of their own province only
(checked row by row by the resources), and superusers (any province). Ministry officials, producers and council
members do not. A batch is its province's (today's)."""

from django.utils.translation import gettext as _

from portal.core.access import Rule, is_signed_in, is_staff, register, scoped, verdict
from portal.models import ImportBatch

register(ImportBatch, Rule(province=("province",), ministry_reads=False))


def can_import(user) -> tuple[bool, str]:
    if not is_signed_in(user):
        return False, _("Please sign in.")
    if not is_staff(user):
        return False, _("Only department staff import data.")
    return True, ""


def can_manage_batch(user, batch) -> tuple[bool, str]:
    allowed, reason = can_import(user)
    if not allowed:
        return allowed, reason
    return verdict(user, batch, refusal=_("This import belongs to another province."))


def batches_visible_to(user):
    return scoped(ImportBatch.objects.select_related("uploaded_by", "confirmed_by", "province"), user)
