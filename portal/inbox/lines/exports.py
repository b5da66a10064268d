"""The user's bulk certificate exports that are built and still downloadable."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from awards.selectors import exports_ready
from portal.core.formatting import vn_date

from .base import Line, LineKind


class ExportLines(LineKind):
    key = "exports"
    heading = gettext_lazy("Certificate exports ready")

    def lines(self) -> list[Line]:
        ready = exports_ready(self.user)
        if not ready["count"]:
            return []
        facts = []
        if ready["first_expiry"]:
            expiry = timezone.localtime(ready["first_expiry"])
            facts.append(_("download by %(date)s") % {"date": f"{expiry:%H:%M} {vn_date(expiry.date())}"})
        return [
            Line(
                title=ngettext(
                    "%(n)d certificate export ready to download",
                    "%(n)d certificate exports ready to download",
                    ready["count"],
                )
                % {"n": ready["count"]},
                url=reverse("awards:staff.certificate.export.list"),
                facts=facts,
            )
        ]
