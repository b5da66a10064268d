"""The department's dossiers: those waiting for screening, and returned ones whose correction deadline passed."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from awards.filters import SORT_WAITING, TODO_OVERDUE, TODO_SCREENING
from portal.core.formatting import vn_date

from .base import Line, LineKind, by_date


def queue_url(round_, **params) -> str:
    return f"{reverse('awards:staff.nomination.list', args=[round_.pk])}?{urlencode(params)}"


class ScreeningLines(LineKind):
    key = "screening"
    heading = gettext_lazy("Dossiers waiting for screening")

    def lines(self) -> list[Line]:
        lines = []
        for work in self.inbox.screening:
            if not work.waiting:
                continue
            facts = []
            if work.oldest_days is not None:
                facts.append(
                    ngettext("longest wait: %(n)d day", "longest wait: %(n)d days", work.oldest_days)
                    % {"n": work.oldest_days}
                )
            deadline = work.screening_deadline
            if deadline is not None:
                facts.append(_("screening %(by_date)s") % {"by_date": by_date(deadline)})
            lines.append(
                Line(
                    title=ngettext(
                        "%(n)d dossier waiting for screening", "%(n)d dossiers waiting for screening", work.waiting
                    )
                    % {"n": work.waiting},
                    subject=work.round.title,
                    url=queue_url(work.round, todo=TODO_SCREENING, sort=SORT_WAITING),
                    facts=facts,
                    urgent=deadline is not None and deadline < self.today,
                )
            )
        return lines


class CorrectionLines(LineKind):
    key = "corrections"
    heading = gettext_lazy("Corrections past their deadline")

    def lines(self) -> list[Line]:
        return [
            Line(
                title=ngettext(
                    "%(n)d returned dossier past its correction deadline",
                    "%(n)d returned dossiers past their correction deadline",
                    work.overdue,
                )
                % {"n": work.overdue},
                subject=work.round.title,
                url=queue_url(work.round, todo=TODO_OVERDUE),
                facts=[_("first deadline missed: %(date)s") % {"date": vn_date(work.first_missed)}],
            )
            for work in self.inbox.screening
            if work.overdue
        ]
