"""Staff: the screening queue of a round and the screening page of one dossier."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.core.access import is_staff, requires
from portal.core.list_exports import ListExportMixin
from portal.core.pagination import KeysFirstPaginator
from products.previews import document_preview

from .. import services
from ..access import can_manage_round
from ..enums import NominationStatus
from ..filters import NominationFilter
from ..forms import AcceptForm, CorrectionForm, RejectForm
from ..list_exports import NominationListExport
from ..selectors import (
    annotate_queue_rows,
    dossier_gaps,
    labelled_parts,
    nomination_checklist,
    nomination_parts,
    nominations_for_staff,
    rounds_for_staff,
    waiting_since,
)
from .queue_rows import queue_rows_html

SCREENABLE = {NominationStatus.SUBMITTED, NominationStatus.IN_SCREENING, NominationStatus.RESUBMITTED}


class ScreeningQueueView(requires(is_staff), ListExportMixin, View):
    template_name = "awards/staff/nomination_queue.html"
    export_resource_class = NominationListExport
    export_title = gettext_lazy("Dossiers")

    def get_export_filename(self):
        return f"ho-so-dot-{self.kwargs['pk']}"

    def get_export_queryset(self):
        round_ = self.get_round(self.kwargs["pk"])
        return NominationFilter(self.request.GET, queryset=self.queryset(round_), request=self.request).qs

    def get_round(self, pk):
        return get_object_or_404(rounds_for_staff(self.request.user), pk=pk)

    def queryset(self, round_):
        return queue_queryset(self.request.user, round_)

    def get(self, request, pk):
        round_ = self.get_round(pk)
        filterset = NominationFilter(request.GET, queryset=self.queryset(round_), request=request)
        page = KeysFirstPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        annotate_queue_rows(page.object_list, round_, timezone.localdate())
        can_decide = can_manage_round(request.user, round_)[0]
        return render(
            request,
            self.template_name,
            {
                "round": round_,
                "filter": filterset,
                "page_obj": page,
                "nominations": page.object_list,
                "rows_html": queue_rows_html(page.object_list, can_decide=can_decide),
                "can_decide": can_decide,
            },
        )

    def post(self, request, pk):
        """Bulk action: start screening the selected dossiers that are waiting."""
        round_ = self.get_round(pk)
        if not can_manage_round(request.user, round_)[0]:
            raise PermissionDenied
        ids = [int(i) for i in request.POST.getlist("selected") if i.isdigit()]
        started = 0
        for nomination in self.queryset(round_).filter(
            pk__in=ids, status__in=[NominationStatus.SUBMITTED, NominationStatus.RESUBMITTED]
        ):
            services.nomination_start_screening(nomination=nomination, actor=request.user)
            started += 1
        skipped = len(ids) - started
        messages.success(request, _("Screening started for %(n)d dossier(s).") % {"n": started})
        if skipped:
            messages.warning(
                request,
                _("%(n)d selected dossier(s) were not waiting for screening and were left as they are.")
                % {"n": skipped},
            )
        return redirect(request.get_full_path())


def queue_queryset(user, round_):
    """The round's dossiers the department has received (drafts are the producer's), with when each started
    waiting for the department."""
    return (
        nominations_for_staff(user)
        .filter(round=round_)
        .exclude(status=NominationStatus.DRAFT)
        .select_related("product__group", "producer__current_province")
        .annotate(waiting_since=waiting_since())
        .order_by("receipt_code", "id")
    )


class ScreeningMixin(requires(is_staff)):
    def get_nomination(self, pk):
        return get_object_or_404(nominations_for_staff(self.request.user).exclude(status=NominationStatus.DRAFT), pk=pk)


class ScreeningView(ScreeningMixin, View):
    def get(self, request, pk, forms=None):
        nomination = self.get_nomination(pk)
        can_decide = can_manage_round(request.user, nomination.round)[0]
        forms = forms or {}
        parts = nomination_parts(nomination)
        corrections = list(nomination.corrections.select_related("created_by"))
        for correction in corrections:
            correction.parts = labelled_parts(correction.items, parts)
        checklist = nomination_checklist(nomination)
        for row in checklist:
            row["preview"] = document_preview(row["document"]) if row["document"] else None
        return render(
            request,
            "awards/staff/nomination_screening.html",
            {
                "nomination": nomination,
                "checklist": checklist,
                "gaps": dossier_gaps(nomination),
                "photos": [np.photo for np in nomination.photos.select_related("photo")],
                "log": nomination.status_log.select_related("actor"),
                "corrections": corrections,
                "versions": nomination.versions.all(),
                "can_decide": can_decide and nomination.status in SCREENABLE,
                "accept_form": forms.get("accept") or AcceptForm(),
                "reject_form": forms.get("reject") or RejectForm(),
                "correction_form": forms.get("return") or CorrectionForm(parts=parts),
            },
            status=400 if forms else 200,
        )


class DecisionView(ScreeningMixin, View):
    def get(self, request, pk):
        # The address a refused decision form was shown under: reloading it leads back to the dossier.
        return redirect(self.get_nomination(pk).get_absolute_url())

    def post(self, request, pk):
        nomination = self.get_nomination(pk)
        if not can_manage_round(request.user, nomination.round)[0]:
            raise PermissionDenied
        action = request.POST.get("action")
        forms = {
            "accept": AcceptForm(request.POST),
            "reject": RejectForm(request.POST),
            "return": CorrectionForm(request.POST, parts=nomination_parts(nomination)),
        }
        if action == "start":
            return self.run(nomination, services.nomination_start_screening, nomination=nomination, actor=request.user)
        form = forms.get(action)
        if form is None:
            messages.error(request, _("Unknown action."))
            return redirect(nomination.get_absolute_url())
        if not form.is_valid():
            return ScreeningView.get(self, request, pk, forms={action: form})
        data = form.cleaned_data
        if action == "accept":
            return self.run(
                nomination, services.nomination_accept, nomination=nomination, actor=request.user, note=data["note"]
            )
        if action == "reject":
            return self.run(
                nomination, services.nomination_reject, nomination=nomination, actor=request.user, reason=data["reason"]
            )
        return self.run(
            nomination,
            services.correction_request,
            nomination=nomination,
            actor=request.user,
            items=data["items"],
            message=data["message"],
            deadline=data["deadline"],
        )

    def run(self, nomination, service, /, **kwargs):
        try:
            service(**kwargs)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
        else:
            nomination.refresh_from_db()
            messages.success(
                self.request, _("The dossier is now “%(status)s”.") % {"status": nomination.get_status_display()}
            )
        return redirect(nomination.get_absolute_url())
