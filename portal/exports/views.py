"""The ministry export page: choose the province (national accounts), round or years and level; the buttons
queue the file for the background worker (portal/exports/jobs.py) and open its progress page."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import can_read_lists, province_scope, requires
from portal.reports.jobs import report_job_create

from . import jobs, ministry
from .forms import FORMATS, MinistryExportForm


class MinistryExportView(requires(can_read_lists), View):
    template_name = "portal/exports/ministry.html"

    @cached_property
    def scope(self):
        return province_scope(self.request.user)  # read after the access check of `requires`

    def get(self, request):
        """The page; an old link with `format` shows the page with its choices."""
        if self.scope.is_nothing:
            raise PermissionDenied
        form = MinistryExportForm(initial=request.GET, user=request.user, province_id=self.scope.province_or_none)
        return self.page(form)

    def post(self, request):
        if self.scope.is_nothing:
            raise PermissionDenied
        fmt = request.POST.get("format")
        form = MinistryExportForm(request.POST, user=request.user, province_id=self.scope.province_or_none)
        if fmt not in FORMATS or not form.is_valid():
            return self.page(form, status=400)
        selection = form.selection()
        with translation.override(settings.LANGUAGE_CODE):
            place = form.cleaned_data.get("province") or self.own_province() or _("All provinces")
            heading = _("Export for the ministry's national database")
            title = f"{heading} — {place} ({fmt.upper()})"
        job = report_job_create(
            actor=request.user, kind="ministry", fmt=fmt, params=jobs.job_params(selection), title=title
        )
        return redirect("reports:staff.job", pk=job.pk)

    def own_province(self):
        user = self.request.user
        return user.organization.province if self.scope.province_or_none and user.organization_id else None

    def page(self, form, status=200):
        context = {
            "form": form,
            "columns": ministry.COLUMNS,
            "national": self.scope.province_or_none is None,
            "province": self.own_province(),
            "title": _("Export for the ministry's national database"),
        }
        return render(self.request, self.template_name, context, status=status)
