"""OCOP ratings of the department's province that expire within 90 days."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from awards.selectors import ocop_expiry
from portal.core.formatting import vn_date

from .base import Line, LineKind

WITHIN_DAYS = 90


class OcopLines(LineKind):
    key = "ocop"
    heading = gettext_lazy("OCOP ratings expiring within 90 days")

    def lines(self) -> list[Line]:
        expiry = ocop_expiry(self.user, self.today, WITHIN_DAYS)
        if not expiry["count"]:
            return []
        return [
            Line(
                title=ngettext(
                    "%(n)d OCOP rating expires within %(days)d days",
                    "%(n)d OCOP ratings expire within %(days)d days",
                    expiry["count"],
                )
                % {"n": expiry["count"], "days": WITHIN_DAYS},
                url=f"{reverse('awards:staff.ocop.expiring')}?{urlencode({'days': WITHIN_DAYS})}",
                facts=[_("the first on %(date)s") % {"date": vn_date(expiry["first"])}],
            )
        ]
