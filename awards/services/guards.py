"""The round's dates as guard rails: sheets are scored within the scoring phase, scoring is closed once it has
begun and the decision comes after it. Staff may go ahead outside the dates with a reason, written to the
round's status log; council members may not."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.formatting import vn_date
from portal.core.workflow import acting_user

from ..enums import PhaseKind
from ..models import RoundStatusLog

SHEET, CLOSE, DECISION = "sheet", "close", "decision"


def _steps():
    return {
        SHEET: _("scoring a sheet"),
        CLOSE: _("closing the scoring"),
        DECISION: _("publishing the recognition decision"),
    }


def phase_refusal(round_, step: str, today: datetime.date | None = None) -> str:
    """Why the round's dates do not allow `step` today ("" when they do, or when the round has no scoring
    dates: then nothing is enforced)."""
    scoring = next((p for p in round_.phases.all() if p.kind == PhaseKind.SCORING), None)
    return scoring_refusal(scoring, step, today)


def scoring_refusal(scoring, step: str, today: datetime.date | None = None) -> str:
    """phase_refusal() given the round's scoring phase (anything with `starts_on` and `ends_on`), or None."""
    if scoring is None:
        return ""
    today = today or timezone.localdate()
    dates = {"start": vn_date(scoring.starts_on), "end": vn_date(scoring.ends_on)}
    if step in (SHEET, CLOSE) and today < scoring.starts_on:
        return _("The scoring phase has not begun: it runs from %(start)s to %(end)s.") % dates
    if step == SHEET and today > scoring.ends_on:
        return _("The scoring phase is over: it ran from %(start)s to %(end)s.") % dates
    if step == DECISION and today <= scoring.ends_on:
        return _("The decision comes after the scoring phase, which runs until %(end)s.") % dates
    return ""


def require_phase(round_, step: str, *, actor, override_reason: str = "") -> None:
    """Refuse `step` outside the round's dates unless staff give a reason, which is logged with the round."""
    refusal = phase_refusal(round_, step)
    if not refusal:
        return
    reason = (override_reason or "").strip()
    if not reason:
        raise ValidationError(
            {"override_reason": [refusal, _("To go ahead anyway, give the reason: it is kept in the round's log.")]}
        )
    RoundStatusLog.objects.create(
        round=round_,
        from_status=round_.status,
        to_status=round_.status,
        actor=acting_user(actor),
        note=_("Outside the round's dates, %(step)s: %(refusal)s Reason: %(reason)s")
        % {"step": _steps()[step], "refusal": refusal, "reason": reason},
    )
