"""Staff: the round's scores, how each was computed, the ranking per product group, and sheet reopening."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from products.views.common import StaffRequiredMixin

from .. import services
from ..models import Council, ScoreSheet
from ..rules import can_manage_round
from ..selectors import round_results, rounds_for_staff


class ResultsView(StaffRequiredMixin, View):
    def get(self, request, pk):
        round_ = get_object_or_404(rounds_for_staff(request.user), pk=pk)
        council = Council.objects.filter(round=round_).select_related("criteria_sheet").first()
        if council is None:
            raise Http404
        rows = round_results(round_)
        groups = []
        for row in rows:
            if not groups or groups[-1]["group"] != row["nomination"].product.group:
                groups.append({"group": row["nomination"].product.group, "rows": []})
            groups[-1]["rows"].append(row)
        return render(
            request,
            "awards/staff/round_results.html",
            {
                "round": round_,
                "council": council,
                "groups": groups,
                "can_manage": can_manage_round(request.user, round_)[0],
            },
        )


class SheetReopenView(StaffRequiredMixin, View):
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
