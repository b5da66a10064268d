"""Staff: accept or return several dossiers of a round at once. The queue posts the selection here; this page lists
the dossiers concerned (and those left aside) and asks for the note or the correction request; only the confirmed
form changes anything, dossier by dossier through the same services as the screening page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import is_staff, requires

from .. import services
from ..access import can_manage_round
from ..dossier import DossierPart
from ..forms import AcceptForm, CorrectionForm
from ..selectors import WAITING_FOR_SCREENING, annotate_queue_rows, parts_for, round_parts, rounds_for_staff
from .screening import queue_queryset

ACCEPT, RETURN = "accept", "return"


def _selected(data) -> list[int]:
    return sorted({int(i) for i in data.getlist("selected") if i.isdigit()})


class BulkDecisionView(requires(is_staff), View):
    template_name = "awards/staff/nomination_bulk_confirm.html"

    def queue_url(self) -> str:
        url = reverse("awards:staff.nomination.list", args=[self.round.pk])
        query = self.request.GET.urlencode()
        return f"{url}?{query}" if query else url

    def get(self, request, pk):
        self.round = get_object_or_404(rounds_for_staff(request.user), pk=pk)
        return redirect(self.queue_url())

    def post(self, request, pk):
        self.round = get_object_or_404(rounds_for_staff(request.user), pk=pk)
        if not can_manage_round(request.user, self.round)[0]:
            raise PermissionDenied
        action = request.POST.get("action")
        if action not in (ACCEPT, RETURN):
            messages.error(request, _("Unknown action."))
            return redirect(self.queue_url())
        chosen = list(queue_queryset(request.user, self.round).filter(pk__in=_selected(request.POST)))
        eligible = [n for n in chosen if n.status in WAITING_FOR_SCREENING]
        if not eligible:
            messages.warning(request, _("None of the selected dossiers is waiting for screening."))
            return redirect(self.queue_url())
        form = self.form(action, request.POST if "confirm" in request.POST else None)
        if not form.is_bound or not form.is_valid():
            return self.confirm_page(action, form, eligible, [n for n in chosen if n not in eligible])
        if action == ACCEPT:
            done = self.run(eligible, services.nomination_accept, note=form.cleaned_data["note"])
            if done:
                messages.success(request, _("%(n)d dossier(s) accepted for scoring.") % {"n": done})
        else:
            self.return_all(eligible, form.cleaned_data)
        return redirect(self.queue_url())

    def form(self, action, data) -> forms.Form:
        if action == ACCEPT:
            return AcceptForm(data)
        return CorrectionForm(data, parts=round_parts(self.round))

    def confirm_page(self, action, form, eligible, skipped):
        annotate_queue_rows(eligible, self.round, timezone.localdate())
        context = {
            "round": self.round,
            "action": action,
            "form": form,
            "dossiers": eligible,
            "skipped": skipped,
            "incomplete": sum(1 for n in eligible if n.missing_count),
            "action_url": self.request.get_full_path(),
            "queue_url": self.queue_url(),
        }
        return render(self.request, self.template_name, context, status=400 if form.is_bound else 200)

    def run(self, nominations, service, **kwargs) -> int:
        """`service` on each dossier; a refusal is shown with the dossier's code and the others go on."""
        done = 0
        for nomination in nominations:
            try:
                service(nomination=nomination, actor=self.request.user, **kwargs)
            except ValidationError as exc:
                messages.error(self.request, f"{nomination.receipt_code}: {' '.join(exc.messages)}")
            else:
                done += 1
        return done

    def return_all(self, nominations, data) -> None:
        """Each dossier is asked for the chosen parts it has (a checklist item of another group is left out)."""
        chosen = [DossierPart.parse(code) for code in data["items"]]
        item_groups = dict(self.round.checklist.values_list("pk", "group_id"))
        asked = {}
        for nomination in nominations:
            parts = parts_for(nomination, chosen, item_groups)
            if parts:
                asked[nomination.pk] = parts
            else:
                messages.warning(
                    self.request,
                    _("%(code)s: none of the chosen parts belongs to this dossier; it was left as it is.")
                    % {"code": nomination.receipt_code},
                )

        def request_correction(*, nomination, actor):
            services.correction_request(
                nomination=nomination,
                actor=actor,
                items=asked[nomination.pk],
                message=data["message"],
                deadline=data["deadline"],
            )

        done = self.run([n for n in nominations if n.pk in asked], request_correction)
        if done:
            messages.success(self.request, _("%(n)d dossier(s) returned for correction.") % {"n": done})
