"""Phases of the rounds the department runs that end within a week."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.selectors import phases_ending

from .base import Line, LineKind, by_date, days_left

WITHIN_DAYS = 7


class PhaseLines(LineKind):
    key = "phases"
    heading = gettext_lazy("Phases ending within 7 days")

    def lines(self) -> list[Line]:
        return [
            Line(
                title=_("%(phase)s: %(by_date)s")
                % {"phase": phase.get_kind_display(), "by_date": by_date(phase.ends_on)},
                subject=phase.round.title,
                url=phase.round.get_absolute_url(),
                facts=[days_left(phase.ends_on, self.today)],
                urgent=(phase.ends_on - self.today).days <= 1,
            )
            for phase in phases_ending(self.user, self.today, WITHIN_DAYS)
        ]
