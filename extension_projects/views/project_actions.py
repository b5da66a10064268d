"""Two staff pages beside a project: cancelling it (its own action, with a reason and a confirmation page) and
the department's rule for project codes."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.core.access import Reach, is_staff, province_scope, requires
from products.views.common import apply_validation_error

from .. import services
from ..models.codes import validate_pattern
from .projects import ProjectPageMixin


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=gettext_lazy("Reason for cancellation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give the reason for cancelling the project.")},
    )


class ProjectCancelView(ProjectPageMixin, View):
    """GET asks to confirm (with the reason); POST cancels through services.project_cancel."""

    template_name = "extension_projects/staff/project_cancel.html"

    def refuse(self, project):
        messages.error(
            self.request,
            _("A project that is “%(status)s” cannot be cancelled.") % {"status": project.get_status_display()},
        )
        return redirect(project.get_absolute_url())

    def get(self, request, pk):
        project = self.get_project(pk)
        if not services.can_cancel(project):
            return self.refuse(project)
        return render(request, self.template_name, {"project": project, "form": CancelForm()})

    def post(self, request, pk):
        project = self.get_project(pk)
        if not services.can_cancel(project):
            return self.refuse(project)
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                services.project_cancel(project=project, actor=request.user, reason=form.cleaned_data["cancel_reason"])
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The project is cancelled."))
                return redirect(project.get_absolute_url())
        return render(request, self.template_name, {"project": project, "form": form}, status=400)


class CodeRuleForm(forms.Form):
    pattern = forms.CharField(
        label=gettext_lazy("Project code pattern"),
        max_length=60,
        validators=[validate_pattern],
        help_text=gettext_lazy(
            "{year}: the plan year; {seq}: the project's number in that year, {seq:03d} with three digits. "
            "Example: KC-{year}-{seq:03d} gives KC-2026-007."
        ),
    )


class CodeRuleView(requires(is_staff), View):
    """The province's department sets how its projects are numbered; superusers use the admin for any."""

    template_name = "extension_projects/staff/code_rule.html"

    def department(self):
        if self.request.user.is_superuser:
            return None
        scope = province_scope(self.request.user, write=True)
        department = services.department_of(scope.province_id) if scope.reach is Reach.PROVINCE else None
        if department is None:
            raise Http404
        return department

    def get(self, request):
        department = self.department()
        if department is None:
            return redirect(reverse("admin:extension_projects_projectcoderule_changelist"))
        form = CodeRuleForm(initial={"pattern": services.code_rule_for(department).pattern})
        return self.render(department, form)

    def post(self, request):
        department = self.department()
        if department is None:
            return redirect(reverse("admin:extension_projects_projectcoderule_changelist"))
        form = CodeRuleForm(request.POST)
        if form.is_valid():
            try:
                services.project_code_rule_set(department=department, actor=request.user, **form.cleaned_data)
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The code pattern is saved; projects recorded from now on follow it."))
                return redirect(reverse("extension_projects:staff.project.code_rule"))
        return self.render(department, form, status=400)

    def render(self, department, form, status=200):
        year = timezone.localdate().year
        context = {"department": department, "form": form, "year": year}
        context["next_code"] = services.code_preview(department, year)
        return render(self.request, self.template_name, context, status=status)
