"""Staff: OCOP ratings — the list (current ratings or the whole history), recording a rating from its decision,
the ratings about to expire with the producers to remind, and the province's targets against what the ratings
reach. Every write goes through awards.services."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters.views import FilterView

from portal.core.access import can_read_lists, is_staff, province_scope, requires
from portal.core.list_exports import ListExportMixin
from portal.core.pagination import KeysFirstPaginator, LenientPageMixin
from products.models import AdministrativeUnit
from products.views.common import apply_validation_error

from .. import services
from ..access import can_set_ocop_target
from ..filters import OcopRatingFilter
from ..forms import OcopRatingForm, OcopTargetForm
from ..list_exports import OcopRatingListExport
from ..models import OcopCriteriaSet, OcopStarBand, OcopTarget
from ..selectors import ocop_expiring, ocop_rating_list, ocop_target_years
from .decision_records import DecisionRecordView

PAGE_SIZE = 25
EXPIRING_DAYS = 90


class OcopRatingListView(requires(can_read_lists), ListExportMixin, LenientPageMixin, FilterView):
    filterset_class = OcopRatingFilter
    export_resource_class = OcopRatingListExport
    export_filename = "xep-hang-ocop"
    export_title = gettext_lazy("OCOP ratings")
    template_name = "awards/staff/ocop_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = KeysFirstPaginator
    context_object_name = "ratings"

    def get_queryset(self):
        return ocop_rating_list(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        # Always bound: without a query string the default ("current", each product's latest rating) applies.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}


class OcopRatingCreateView(requires(is_staff), DecisionRecordView):
    """Record a rating from its decision."""

    template_name = "awards/staff/ocop_form.html"
    form_class = OcopRatingForm
    refusal = gettext_lazy("You may not rate this product.")

    def form_kwargs(self):
        return {"valid_months": settings.OCOP_VALID_MONTHS}

    def record(self, data):
        return services.ocop_rating_record(actor=self.request.user, **{**data, "level": data["level"] or None})

    def refused(self, form, exc):
        if hasattr(exc, "error_dict"):
            apply_validation_error(form, exc)
        else:  # no criteria set in force on that day
            form.add_error("decision_date", exc)

    def recorded_message(self, rating, data):
        return _("Recorded: “%(product)s” %(stars)d★, decision %(number)s.") % {
            "product": rating.product.name,
            "stars": rating.stars,
            "number": rating.decision_number,
        }

    def context(self, form):
        day = None
        if form.is_bound and hasattr(form, "cleaned_data"):
            day = form.cleaned_data.get("decision_date")
        day = day or timezone.localdate()
        criteria_sets = list(OcopCriteriaSet.objects.order_by("-valid_from"))
        in_force = next((s for s in criteria_sets if s.valid_from <= day), None)
        product = None
        selected = form.initial.get("product") if not form.is_bound else None
        if selected:
            product = self.products().filter(pk=selected).select_related("producer").first()
        return {
            "criteria_sets": criteria_sets,
            "bands": OcopStarBand.objects.order_by("stars"),
            "in_force": in_force,
            "in_force_day": day,
            "product": product,
        }


def _days(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return EXPIRING_DAYS
    return days if 1 <= days <= 3650 else EXPIRING_DAYS


class OcopExpiringView(requires(is_staff), View):
    """Current ratings ending within `?days=` (90 by default), with the producer's contact and whether the
    reminder e-mail went out (the worker sends them daily, portal/scheduler.py)."""

    def get(self, request):
        today = timezone.localdate()
        days = _days(request.GET.get("days"))
        paginator = KeysFirstPaginator(ocop_expiring(request.user, today=today, days=days), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        for rating in page.object_list:
            rating.days_left = (rating.valid_until - today).days
        return render(
            request,
            "awards/staff/ocop_expiring.html",
            {
                "ratings": page.object_list,
                "page_obj": page,
                "days": days,
                "today": today,
                "horizon": today + datetime.timedelta(days=days),
            },
        )


class OcopTargetView(requires(can_read_lists, write=is_staff), View):
    """The targets of a province (today's) by year, against the actual figures computed from the ratings. A
    province's staff see their own province; superusers, the ministry agency and ministry officials choose one
    with `?province=` (ministry officials read only: no form, their POST is refused).
    Actual figures for a year are measured on 31 December of that year, or today while the year runs."""

    template_name = "awards/staff/ocop_targets.html"

    def provinces(self):
        return AdministrativeUnit.objects.provinces()

    def province(self):
        scope = province_scope(self.request.user)
        if scope.is_nothing:
            raise Http404
        own = scope.province_or_none
        asked = self.request.GET.get("province", "")
        if own is not None:
            if asked and asked != str(own):
                raise Http404
            return self.provinces().filter(pk=own).first()
        if not asked.isdigit():
            return None
        province = self.provinces().filter(pk=asked).first()
        if province is None:
            raise Http404
        return province

    def get(self, request):
        province = self.province()
        initial = {"year": timezone.localdate().year}
        edit = request.GET.get("edit", "")
        if province is not None and edit.isdigit():
            target = OcopTarget.objects.filter(pk=edit, province=province).first()
            if target is not None:
                initial = {"year": target.year, "metric": target.metric, "value": target.value, "note": target.note}
        return self.render(province, OcopTargetForm(initial=initial))

    def post(self, request):
        province = self.province()
        if province is None:
            raise Http404
        if not can_set_ocop_target(request.user, province)[0]:
            raise PermissionDenied
        form = OcopTargetForm(request.POST)
        if form.is_valid():
            try:
                target = services.ocop_target_set(actor=request.user, province=province, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Target saved: %(target)s by %(year)d.")
                    % {"target": target.get_metric_display(), "year": target.year},
                )
                url = reverse("awards:staff.ocop.targets")
                return redirect(f"{url}?province={province.pk}" if request.user.is_superuser else url)
        return self.render(province, form, status=400)

    def render(self, province, form, status=200):
        today = timezone.localdate()
        years = ocop_target_years(province.pk, today) if province is not None else []
        return render(
            self.request,
            self.template_name,
            {
                "province": province,
                "provinces": self.provinces() if province_scope(self.request.user).province_or_none is None else None,
                "years": years,
                "form": form,
                "can_set": province is not None and can_set_ocop_target(self.request.user, province)[0],
            },
            status=status,
        )
