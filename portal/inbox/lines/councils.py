"""Councils still scoring whose jury members have sheets left to submit, member by member."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from awards.selectors import councils_short_of_sheets

from .base import Line, LineKind, by_date


class CouncilLines(LineKind):
    key = "councils"
    heading = gettext_lazy("Councils with sheets missing")

    def lines(self) -> list[Line]:
        lines = []
        for work in councils_short_of_sheets(self.user):
            round_ = work.council.round
            deadline = work.short[0].scoring_deadline
            facts = [_("scoring %(by_date)s") % {"by_date": by_date(deadline)}] if deadline else []
            lines.append(
                Line(
                    title=ngettext(
                        "%(n)d member has sheets left to submit",
                        "%(n)d members have sheets left to submit",
                        len(work.short),
                    )
                    % {"n": len(work.short)},
                    subject=f"{work.council.name} · {round_.title}",
                    url=reverse("awards:staff.council.detail", args=[round_.pk]) + "#jury-title",
                    facts=facts,
                    details=[
                        _("%(name)s: %(done)d/%(total)d sheets submitted")
                        % {
                            "name": seat.member.user.full_name or seat.member.user.email,
                            "done": seat.done,
                            "total": seat.total,
                        }
                        for seat in work.short
                    ],
                    urgent=deadline is not None and deadline < self.today,
                )
            )
        return lines
