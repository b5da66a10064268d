"""Staff: the recognitions of every level — the dashboard of counts per province and level, the list behind
each count, and recording recognitions of rounds held before the portal (from the paper archive)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters.views import FilterView

from portal.core.access import can_read_lists, is_staff, requires
from portal.core.list_exports import ListExportMixin
from portal.core.pagination import KeysFirstPaginator, LenientPageMixin
from products.selectors import products_visible_to
from products.views.common import apply_validation_error

from .. import services
from ..access import can_record_recognition
from ..filters import RecognitionFilter, RecognitionSummaryFilter
from ..forms import RecognitionForm
from ..list_exports import RecognitionListExport
from ..selectors import (
    PROVINCE_TODAY,
    recognition_levels,
    recognition_list,
    recognition_summary,
    recognitions_for_staff,
)

PAGE_SIZE = 25
# Filters of the dashboard carried over to the list behind each count.
CARRIED = ("year_from", "year_to", "group", "source")


class RecognitionSummaryView(requires(is_staff), View):
    """Counts per province × level: one aggregate query, whatever the number of recognitions."""

    def get(self, request):
        filterset = RecognitionSummaryFilter(
            request.GET or None, queryset=recognitions_for_staff(request.user), request=request
        )
        basis = filterset.grouping
        levels = list(recognition_levels())
        rows = recognition_summary(filterset.qs, basis=basis, user=request.user)
        carried = {k: v for k in CARRIED if (v := (filterset.form.cleaned_data.get(k) if filterset.is_bound else None))}
        carried = {k: getattr(v, "pk", v) for k, v in carried.items()}
        list_url = reverse("awards:staff.recognition.list")
        province_param = "province" if basis == PROVINCE_TODAY else "recorded_province"

        def link(**params):
            query = urlencode({**params, **carried})
            return f"{list_url}?{query}" if query else list_url

        totals = {level.code: 0 for level in levels}
        for row in rows:
            row["cells"] = [
                {
                    "level": level,
                    "count": row["counts"].get(level.code, 0),
                    "url": link(**{province_param: row["id"], "level": level.code}),
                }
                for level in levels
            ]
            row["url"] = link(**{province_param: row["id"]})
            for code, n in row["counts"].items():
                totals[code] = totals.get(code, 0) + n
        total_cells = [{"level": level, "count": totals[level.code], "url": link(level=level.code)} for level in levels]
        return render(
            request,
            "awards/staff/recognition_summary.html",
            {
                "filter": filterset,
                "basis": basis,
                "levels": levels,
                "rows": rows,
                "total_cells": total_cells,
                "grand_total": sum(totals.values()),
                "grand_total_url": link(),
            },
        )


class RecognitionListView(requires(can_read_lists), ListExportMixin, LenientPageMixin, FilterView):
    filterset_class = RecognitionFilter
    export_resource_class = RecognitionListExport
    export_filename = "cong-nhan"
    export_title = gettext_lazy("Recognitions")
    template_name = "awards/staff/recognition_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = KeysFirstPaginator
    context_object_name = "recognitions"

    def get_queryset(self):
        return recognition_list(self.request.user)


class RecognitionCreateView(requires(is_staff), View):
    """Record a recognition of a round held before the portal. `?q=` narrows the product list; `?product=`
    comes from a product's page."""

    template_name = "awards/staff/recognition_form.html"

    def form(self, data=None):
        initial = {}
        product = self.request.GET.get("product", "")
        if product.isdigit():
            initial["product"] = int(product)
        return RecognitionForm(
            data,
            initial=initial,
            products=products_visible_to(self.request.user),
            levels=recognition_levels(),
            query=self.query(),
        )

    def query(self):
        return (self.request.POST.get("q") or self.request.GET.get("q") or "").strip()

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                recognition = services.recognition_record(actor=request.user, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You may not record this recognition."))
            else:
                messages.success(
                    request,
                    _("Recorded: “%(product)s”, %(level)s %(year)d.")
                    % {
                        "product": recognition.product.name,
                        "level": recognition.level.name.lower(),
                        "year": data["year"],
                    },
                )
                return redirect(recognition.product.get_absolute_url())
        form.narrow(self.query())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "q": self.query()}, status=status)


class RecognitionDeleteView(requires(is_staff), View):
    """Remove a recognition recorded from the archive by mistake (POST only)."""

    def post(self, request, pk):
        recognition = get_object_or_404(
            recognitions_for_staff(request.user).select_related("product__producer", "level"), pk=pk
        )
        if not can_record_recognition(request.user, recognition.product, recognition.level)[0]:
            raise PermissionDenied
        product = recognition.product
        try:
            services.recognition_delete(actor=request.user, recognition=recognition)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The recognition is removed."))
        return redirect(product.get_absolute_url())
