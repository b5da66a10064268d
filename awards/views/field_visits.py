"""Staff: the field visits of the dossiers the first scoring pass short-listed (two-pass councils): when, who went,
what they found. Members read the findings on their second-pass sheet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import is_staff, requires
from products.views.common import apply_validation_error

from .. import services
from ..access import can_manage_round
from ..forms import FieldVisitForm
from ..models import Council, CouncilMember, FieldVisit
from ..selectors import rounds_for_staff


class FieldVisitListView(requires(is_staff), View):
    def get(self, request, pk):
        round_ = get_object_or_404(rounds_for_staff(request.user), pk=pk)
        council = get_object_or_404(Council, round=round_)
        visits = list(
            FieldVisit.objects.filter(nomination__round=round_)
            .select_related("nomination__product__group", "nomination__producer", "recorded_by")
            .prefetch_related(Prefetch("members", queryset=CouncilMember.objects.select_related("user")))
            .order_by("nomination__product__group__order", "nomination__receipt_code")
        )
        return render(
            request,
            "awards/staff/field_visit_list.html",
            {
                "round": round_,
                "council": council,
                "visits": visits,
                "done": sum(1 for v in visits if v.visited_on),
                "can_manage": can_manage_round(request.user, round_)[0],
            },
        )


class FieldVisitUpdateView(requires(is_staff), View):
    template_name = "awards/staff/field_visit_form.html"

    def setup_visit(self, pk):
        visit = get_object_or_404(
            FieldVisit.objects.select_related(
                "nomination__round__level", "nomination__product__group", "nomination__producer"
            ),
            pk=pk,
            nomination__round__in=rounds_for_staff(self.request.user),
        )
        round_ = visit.nomination.round
        if not can_manage_round(self.request.user, round_)[0]:
            raise PermissionDenied
        return visit, Council.objects.get(round=round_)

    def get(self, request, pk):
        visit, council = self.setup_visit(pk)
        form = FieldVisitForm(
            council=council,
            initial={
                "visited_on": visit.visited_on,
                "members": [m.pk for m in visit.members.all()],
                "findings": visit.findings,
            },
        )
        return self.render(visit, form)

    def post(self, request, pk):
        visit, council = self.setup_visit(pk)
        form = FieldVisitForm(request.POST, council=council)
        if form.is_valid():
            try:
                services.field_visit_record(visit=visit, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The field visit of “%(product)s” is recorded.") % {"product": visit.nomination.product.name},
                )
                return redirect(reverse("awards:staff.visit.list", args=[visit.nomination.round_id]))
        return self.render(visit, form, status=400)

    def render(self, visit, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"visit": visit, "nomination": visit.nomination, "round": visit.nomination.round, "form": form},
            status=status,
        )
