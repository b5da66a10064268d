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
from .decision_records import DecisionRecordView

PAGE_SIZE = 25
# Filters of the dashboard carried over to the list behind each count.
CARRIED = ("year_from", "year_to", "group", "source")


class RecognitionSummaryView(requires(can_read_lists, write=is_staff), View):
    """Counts per province × level: one aggregate query, whatever the number of recognitions. Ministry officials
    read it for every province (and record nothing: the page's button is staff's)."""

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


class RecognitionCreateView(requires(is_staff), DecisionRecordView):
    """Record a recognition of a round held before the portal."""

    template_name = "awards/staff/recognition_form.html"
    form_class = RecognitionForm
    refusal = gettext_lazy("You may not record this recognition.")

    def form_kwargs(self):
        return {"levels": recognition_levels()}

    def record(self, data):
        return services.recognition_record(actor=self.request.user, **data)

    def recorded_message(self, recognition, data):
        return _("Recorded: “%(product)s”, %(level)s %(year)d.") % {
            "product": recognition.product.name,
            "level": recognition.level.name.lower(),
            "year": data["year"],
        }


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
