"""Staff: the confirmation pages of the irreversible steps of scoring — closing the first pass, closing the
scoring, publishing the decision. Each says what will happen (how many dossiers, those short of sheets or of
the quorum, which products are recognised) before anything changes; GET shows it, POST does it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import is_staff, requires
from products.views.common import apply_validation_error

from .. import services
from ..access import can_close_scoring, can_manage_round
from ..enums import NominationStatus
from ..forms import ClosingForm
from ..models import Council
from ..selectors import round_results, rounds_for_staff
from ..selectors.outcomes import NOT_RECOGNISED, NOT_SCORED, RECOGNISED, dossier_outcomes, dossier_quorums
from ..services.guards import CLOSE, DECISION, phase_refusal
from ..services.scoring.passes import _incomplete


def results_url(round_) -> str:
    return reverse("awards:staff.round.results", args=[round_.pk])


class ClosingView(requires(is_staff), View):
    """Closing the scoring (`first_pass=False`) or a two-pass council's first pass (`first_pass=True`)."""

    first_pass = False
    template_name = "awards/staff/scoring_close_confirm.html"

    def setup_round(self, pk):
        round_ = get_object_or_404(rounds_for_staff(self.request.user).select_related("level"), pk=pk)
        council = Council.objects.filter(round=round_).first()
        if council is None:
            raise Http404
        if not can_manage_round(self.request.user, round_)[0]:
            raise PermissionDenied
        round_.council = council
        return round_, council

    def closable(self, council) -> str:
        """Why this step cannot be taken at all now ("" when it can)."""
        if self.first_pass:
            return "" if council.first_pass_open else _("The first pass is already closed.")
        return can_close_scoring(council)[1]

    def nothing_left(self, facts) -> str:
        """Once the scoring is closed no dossier is left accepted: the page says so rather than offer to close 0."""
        if self.first_pass or facts["rows"]:
            return ""
        return _("No dossier is waiting for its scoring to be closed.")

    def facts(self, round_, council) -> dict:
        pass_no = 1 if self.first_pass else None
        rows = [r for r in round_results(round_, pass_no=pass_no) if r.nomination.status == NominationStatus.ACCEPTED]
        scope = rows if self.first_pass else [r for r in rows if r.pass_no == council.current_pass]
        quorums = dossier_quorums(round_, rows)
        facts = {"rows": rows, "incomplete": _incomplete(council, scope), "refusal": phase_refusal(round_, CLOSE)}
        if self.first_pass:
            facts["short_list"] = [r for r in rows if r.result.count and r.result.score >= council.pass_two_cut]
        else:
            facts["scored"] = [r for r in rows if quorums[r.nomination.pk].met]
            facts["not_scored"] = [(r, quorums[r.nomination.pk]) for r in rows if not quorums[r.nomination.pk].met]
        return facts

    def get(self, request, pk):
        round_, council = self.setup_round(pk)
        facts = self.facts(round_, council)
        form = ClosingForm(out_of_phase=bool(facts["refusal"]), incomplete=bool(facts["incomplete"]))
        return self.render(round_, council, facts, form)

    def post(self, request, pk):
        round_, council = self.setup_round(pk)
        facts = self.facts(round_, council)
        form = ClosingForm(request.POST, out_of_phase=bool(facts["refusal"]), incomplete=bool(facts["incomplete"]))
        if form.is_valid():
            data = {
                "allow_incomplete": form.cleaned_data.get("allow_incomplete", False),
                "override_reason": form.cleaned_data.get("override_reason", ""),
            }
            try:
                message = self.act(round_, data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, message)
                return redirect(results_url(round_))
        return self.render(round_, council, facts, form, status=400)

    def act(self, round_, data) -> str:
        actor = self.request.user
        if self.first_pass:
            short = services.scoring_pass_close(round_=round_, actor=actor, **data)
            return _(
                "The first pass is closed: %(n)d dossier(s) are short-listed for the field visit and the second pass."
            ) % {"n": len(short)}
        closed = services.scores_finalise(round_=round_, actor=actor, **data)
        return _("Scoring is closed for %(n)d dossier(s).") % {"n": closed}

    def render(self, round_, council, facts, form, status=200):
        context = {
            "round": round_,
            "council": council,
            "first_pass": self.first_pass,
            "blocked": self.closable(council) or self.nothing_left(facts),
            "form": form,
            **facts,
        }
        return render(self.request, self.template_name, context, status=status)


def decision_confirmation(request, round_, rows, form, status=200):
    """The page between the decision form and its publication: which products will be recognised, which not,
    which end "not scored" (and why), and — outside the round's dates — the reason to give."""
    chosen_ids = {n.pk for n in form.cleaned_data.get("nominations") or []}
    outcomes = dossier_outcomes(round_, rows, chosen_ids)
    context = {
        "round": round_,
        "form": form,
        "refusal": phase_refusal(round_, DECISION),
        "recognised": [o for o in outcomes if o.kind == RECOGNISED],
        "not_recognised": [o for o in outcomes if o.kind == NOT_RECOGNISED],
        "not_scored": [o for o in outcomes if o.kind == NOT_SCORED],
    }
    return render(request, "awards/staff/decision_confirm.html", context, status=status)
