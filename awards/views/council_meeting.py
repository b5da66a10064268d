"""The council's documents: the minutes of its meeting (biên bản) and the score summary (bảng tổng hợp điểm) as PDF,
and the staff form for the meeting's date, place and conclusions.

Staff see the rounds of rounds_for_staff (another province's round answers 404) and need can_manage_round to
write; the council's secretary and chair download both PDFs from their own pages, any other member answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import is_staff, requires
from portal.core.files import PDF, generated_file
from products.views.common import apply_validation_error

from .. import services
from ..access import can_manage_round
from ..enums import CouncilRole
from ..forms import CouncilMinutesForm
from ..models import Council, Round
from ..printouts.council import minutes_pdf, score_summary_pdf
from ..selectors import rounds_for_staff
from .member import MemberRequiredMixin

# The seats that keep the council's file: they sign both documents.
DOCUMENT_ROLES = (CouncilRole.SECRETARY, CouncilRole.CHAIR)


def _rounds():
    return Round.objects.select_related(
        "level", "programme", "organiser__province", "province", "council__criteria_sheet"
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    # Scores and members' names: never kept in a shared cache (generated_file's default).
    return generated_file(pdf, content_type=PDF, filename=filename)


def minutes_response(round_) -> HttpResponse:
    return _pdf_response(minutes_pdf(round_), f"bien-ban-hop-hoi-dong-{round_.pk}.pdf")


def summary_response(round_) -> HttpResponse:
    return _pdf_response(score_summary_pdf(round_), f"bang-tong-hop-diem-{round_.pk}.pdf")


class StaffRoundCouncilMixin(requires(is_staff)):
    def get_round(self, pk):
        round_ = get_object_or_404(_rounds().filter(pk__in=rounds_for_staff(self.request.user).values("pk")), pk=pk)
        if not Council.objects.filter(round=round_).exists():
            raise Http404
        return round_


class StaffMinutesPdfView(StaffRoundCouncilMixin, View):
    def get(self, request, pk):
        return minutes_response(self.get_round(pk))


class StaffSummaryPdfView(StaffRoundCouncilMixin, View):
    def get(self, request, pk):
        return summary_response(self.get_round(pk))


class MinutesFormView(StaffRoundCouncilMixin, View):
    """The meeting's date, place and conclusions, printed in the minutes; with links to both documents."""

    template_name = "awards/staff/council_minutes.html"

    def get(self, request, pk):
        round_ = self.get_round(pk)
        council = round_.council
        form = CouncilMinutesForm(
            initial={
                "meeting_date": council.meeting_date,
                "meeting_place": council.meeting_place,
                "minutes_notes": council.minutes_notes,
            }
        )
        return self.render(round_, form)

    def post(self, request, pk):
        round_ = self.get_round(pk)
        if not can_manage_round(request.user, round_)[0]:
            raise PermissionDenied
        form = CouncilMinutesForm(request.POST)
        if form.is_valid():
            try:
                services.council_minutes_update(council=round_.council, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The meeting details are saved: they are printed in the minutes."))
                return redirect(reverse("awards:staff.round.minutes", args=[round_.pk]))
        return self.render(round_, form, status=400)

    def render(self, round_, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "round": round_,
                "council": round_.council,
                "form": form,
                "can_manage": can_manage_round(self.request.user, round_)[0],
            },
            status=status,
        )


class MemberRoundCouncilMixin(MemberRequiredMixin):
    """The secretary's or the chair's seat on the round's council; any other member answers 404."""

    def get_round(self, pk):
        return get_object_or_404(
            _rounds(), pk=pk, council__members__user=self.request.user, council__members__role__in=DOCUMENT_ROLES
        )


class MemberMinutesPdfView(MemberRoundCouncilMixin, View):
    def get(self, request, pk):
        return minutes_response(self.get_round(pk))


class MemberSummaryPdfView(MemberRoundCouncilMixin, View):
    def get(self, request, pk):
        return summary_response(self.get_round(pk))
