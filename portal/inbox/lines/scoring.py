"""The council member's own dossiers to score, seat by seat, with the scoring phase's deadline and progress."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from awards.selectors import seats_to_score

from .base import Line, LineKind, by_date


class ScoringLines(LineKind):
    key = "scoring"
    heading = gettext_lazy("Dossiers to score")
    staff_only = False

    def lines(self) -> list[Line]:
        lines = []
        for work in seats_to_score(self.user):
            round_ = work.member.council.round
            deadline = work.scoring_deadline
            facts = [_("%(done)d/%(total)d scored") % {"done": work.done, "total": work.total}]
            if deadline is not None:
                facts.append(_("scoring %(by_date)s") % {"by_date": by_date(deadline)})
            lines.append(
                Line(
                    title=ngettext("%(n)d dossier to score", "%(n)d dossiers to score", work.left) % {"n": work.left},
                    subject=round_.title,
                    url=f"{reverse('awards:member.dashboard')}?{urlencode({'round': round_.pk})}",
                    facts=facts,
                    urgent=deadline is not None and deadline < self.today,
                )
            )
        return lines
