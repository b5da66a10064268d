"""The ministry export page: choose the province (national accounts), round or years and level, download the file."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import can_read_lists, province_scope, requires
from portal.core.list_exports import XLSX, table_response

from . import ministry
from .forms import FORMATS, MinistryExportForm


class MinistryExportView(requires(can_read_lists), View):
    template_name = "portal/exports/ministry.html"

    def get(self, request):
        scope = province_scope(request.user)
        if scope.is_nothing:
            raise PermissionDenied
        province_id = scope.province_or_none
        fmt = request.GET.get("format")
        form = MinistryExportForm(request.GET if fmt else None, user=request.user, province_id=province_id)
        if fmt in FORMATS and form.is_valid():
            selection = form.selection()
            return table_response(
                ministry.HEADERS,
                ministry.rows(selection),
                ministry.KINDS,
                fmt=fmt,
                stem="spcnnttb-bo-cong-thuong",
                title="SPCNNTTB",
                extra_sheets=[("Chú giải", ministry.legend())] if fmt == XLSX else (),
            )
        context = {
            "form": form,
            "columns": ministry.COLUMNS,
            "national": province_id is None,
            "province": request.user.organization.province if province_id and request.user.organization_id else None,
            "title": _("Export for the ministry's national database"),
        }
        return render(request, self.template_name, context, status=400 if form.is_bound else 200)
