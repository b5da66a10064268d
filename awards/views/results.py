"""Staff: the round's scores, how each was computed, the ranking per product group, and sheet reopening."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import is_staff, requires
from portal.core.files import PDF, generated_file
from products.views.common import apply_validation_error

from .. import services
from ..access import can_close_scoring, can_manage_round
from ..enums import NominationStatus
from ..exports import score_summary_xlsx
from ..forms import DecisionForm
from ..models import Conflict, Council, Decision, Nomination, ScoreSheet
from ..printouts.score_sheet import score_sheet_pdf
from ..selectors import nomination_score, round_results, rounds_for_staff
from ..selectors.outcomes import dossier_quorums
from .closing import decision_confirmation
from .results_rows import labels, rows_html


def _url_for_each(name: str):
    """pk -> reverse("awards:<name>", args=[pk]) at the cost of one reverse(): the results page links every one of
    hundreds of dossiers twice."""
    marker = 2_147_483_647  # no dossier has it; a pk fits the same URL pattern
    head, tail = reverse(f"awards:{name}", args=[marker]).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


class ResultsView(requires(is_staff), View):
    def get(self, request, pk):
        round_ = get_object_or_404(rounds_for_staff(request.user), pk=pk)
        council = Council.objects.filter(round=round_).select_related("criteria_sheet").first()
        if council is None:
            raise Http404
        rows = round_results(round_, shown_only=True)
        quorums = dossier_quorums(round_, rows)
        form = DecisionForm(round_=round_, rows=rows, quorums=quorums)
        return self.render(round_, council, rows, form, quorums=quorums)

    def post(self, request, pk):
        """Record and publish the recognition decision."""
        round_ = get_object_or_404(rounds_for_staff(request.user), pk=pk)
        council = Council.objects.filter(round=round_).select_related("criteria_sheet").first()
        if council is None:
            raise Http404
        if not can_manage_round(request.user, round_)[0]:
            raise PermissionDenied
        action = request.POST.get("action")
        if action in ("finalise", "close_pass"):  # each step has its confirmation page: nothing changes here
            name = "staff.round.close_scoring" if action == "finalise" else "staff.round.close_pass"
            return redirect(reverse(f"awards:{name}", args=[round_.pk]))
        allowed, reason = can_close_scoring(council)
        if not allowed:
            messages.error(request, reason)
            return redirect(reverse("awards:staff.round.results", args=[round_.pk]))
        rows = round_results(round_, shown_only=True)
        form = DecisionForm(request.POST, round_=round_, rows=rows, quorums=dossier_quorums(round_, rows))
        if not form.is_valid():
            return self.render(round_, council, rows, form, status=400)
        if request.POST.get("confirm") != "1":
            return decision_confirmation(request, round_, rows, form)
        data = dict(form.cleaned_data)
        chosen = list(data.pop("nominations"))
        try:
            decision = services.decision_publish(round_=round_, actor=request.user, nominations=chosen, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return decision_confirmation(request, round_, rows, form, status=400)
        messages.success(
            request,
            _("Decision %(number)s is published: %(n)d product(s) recognised.")
            % {"number": decision.number, "n": len(chosen)},
        )
        return redirect(reverse("awards:staff.round.results", args=[round_.pk]))

    def render(self, round_, council, rows, form, status=200, quorums=None):
        groups = []
        quorums = dossier_quorums(round_, rows) if quorums is None else quorums
        detail_url, sheets_url = _url_for_each("staff.nomination.detail"), _url_for_each("staff.results.sheets")
        for row in rows:
            if not groups or groups[-1]["group"] != row.nomination.product.group:
                groups.append({"group": row.nomination.product.group, "rows": []})
            pk = row.nomination.pk
            groups[-1]["rows"].append(
                SimpleNamespace(**vars(row), quorum=quorums[pk], url=detail_url(pk), sheets_url=sheets_url(pk))
            )
        for block in groups:
            block["rows_html"] = rows_html(block["rows"], two_pass=council.passes == 2)
        decision = Decision.objects.filter(round=round_).prefetch_related("nominations__product").first()
        return render(
            self.request,
            "awards/staff/round_results.html",
            {
                "round": round_,
                "council": council,
                "groups": groups,
                "t": labels(),
                "decision": decision,
                "decision_form": form,
                "can_manage": can_manage_round(self.request.user, round_)[0],
                "two_pass": council.passes == 2,
                "first_pass_open": council.first_pass_open,
                "short_listed": sum(1 for row in rows if row.short_listed),
                "scoring_open": any(row.nomination.status == NominationStatus.ACCEPTED for row in rows),
            },
            status=status,
        )


class SheetReopenView(requires(is_staff), View):
    def post(self, request, pk):
        sheet = get_object_or_404(
            ScoreSheet.objects.select_related("member__council__round"),
            pk=pk,
            member__council__round__in=rounds_for_staff(request.user),
        )
        round_ = sheet.member.council.round
        if not can_manage_round(request.user, round_)[0]:
            raise PermissionDenied
        try:
            services.sheet_reopen(sheet=sheet, actor=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The sheet of %(member)s is reopened.") % {"member": sheet.member.user.full_name}
            )
        return redirect(reverse("awards:staff.round.results", args=[round_.pk]))


class ScoreSummaryExportView(requires(is_staff), View):
    def get(self, request, pk):
        round_ = get_object_or_404(rounds_for_staff(request.user), pk=pk)
        if not Council.objects.filter(round=round_).exists():
            raise Http404
        return generated_file(
            score_summary_xlsx(round_),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"bang-tong-hop-diem-{round_.pk}.xlsx",
        )


class SheetPdfView(requires(is_staff), View):
    """Any member's sheet of a round the staff member may see, for the council's file."""

    def get(self, request, pk):
        sheet = get_object_or_404(
            ScoreSheet.objects.select_related("member__council__round", "nomination__product__group"),
            pk=pk,
            member__council__round__in=rounds_for_staff(request.user),
        )
        return generated_file(
            score_sheet_pdf(sheet),
            content_type=PDF,
            filename=f"phieu-cham-diem-{sheet.nomination.receipt_code}-{sheet.pk}.pdf",
        )


class NominationSheetsView(requires(is_staff), View):
    """Every member's sheet of one dossier, with reopening: loaded on demand from the results page (htmx), so
    the ranking of a 500-dossier round does not render 4,500 forms; a page of its own without JavaScript."""

    def get(self, request, pk):
        nomination = get_object_or_404(
            Nomination.objects.select_related("round__council", "product", "producer"),
            pk=pk,
            round__in=rounds_for_staff(request.user),
        )
        council = Council.objects.filter(round_id=nomination.round_id).first()
        if council is None:
            raise Http404
        conflicts = set(Conflict.objects.filter(nomination=nomination).values_list("member_id", flat=True))
        sheets = list(
            ScoreSheet.objects.filter(nomination=nomination)
            .select_related("member__user")
            .order_by("pass_no", "member__role", "member_id")
        )
        outliers = {}
        for pass_no in {s.pass_no for s in sheets}:
            result = nomination_score(nomination, pass_no=pass_no)
            outliers[pass_no] = {m.pk for m in result.outliers}
        for sheet in sheets:
            sheet.conflicted = sheet.member_id in conflicts
            sheet.outlier = sheet.member_id in outliers.get(sheet.pass_no, set())
        context = {
            "nomination": nomination,
            "sheets": sheets,
            "two_pass": council.passes == 2,
            "can_manage": can_manage_round(request.user, nomination.round)[0],
        }
        template = "awards/staff/nomination_sheets_list.html" if request.htmx else "awards/staff/nomination_sheets.html"
        return render(request, template, context)
