"""Khuyến công projects on the staff pages: the list, a new project and its changes (funding per source, the
support-limit warning confirmed with a note), one project with its funding table, disbursements, status and
transitions, and the province summary that reproduces the published figures. Every write goes through
extension_projects.services; a province's staff see the projects of their province today."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters.views import FilterView

from portal.core.access import can_read_lists, is_staff, requires
from portal.core.list_exports import ListExportMixin
from portal.core.pagination import KeysFirstPaginator, LenientPageMixin
from portal.core.workflow import allowed_moves
from products.views.common import apply_validation_error

from .. import services
from ..enums import FundingSource, OutputField, ProjectStatus
from ..filters import FLAG_QUALITY, ProjectFilter, ProjectPeriodFilter
from ..forms import FUNDING_FIELDS, DisbursementForm, ProjectForm, TransitionForm
from ..list_exports import ProjectListExport
from ..models import Project
from ..selectors import (
    SUMMARY_OUTPUTS,
    funding_table,
    project_detail,
    project_disbursements,
    project_history,
    project_list,
    project_status_log,
    project_summary,
    projects_for_staff,
)

PAGE_SIZE = 25
DISBURSING = (ProjectStatus.CONTRACTED, ProjectStatus.IMPLEMENTING, ProjectStatus.ACCEPTED)
CLOSED = (ProjectStatus.SETTLED, ProjectStatus.CANCELLED)
# The summary's filters, carried over to the list behind each figure (the list has filters of the same names).
CARRIED = ("province", "recorded_province", "year_from", "year_to")


class ProjectListView(requires(can_read_lists), ListExportMixin, LenientPageMixin, FilterView):
    filterset_class = ProjectFilter
    export_resource_class = ProjectListExport
    export_filename = "de-an-khuyen-cong"
    export_title = gettext_lazy("Extension projects")
    template_name = "extension_projects/staff/project_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = KeysFirstPaginator
    context_object_name = "projects"

    def get_queryset(self):
        return project_list(self.request.user)


class ProjectPageMixin(requires(is_staff)):
    def get_project(self, pk) -> Project:
        try:
            return project_detail(self.request.user, pk)
        except Project.DoesNotExist as exc:
            raise Http404 from exc


def _query(request) -> str:
    return (request.POST.get("q") or request.GET.get("q") or "").strip()


def _apply_service_error(form: ProjectForm, exc: ValidationError) -> None:
    """The limit warning asks for the confirming note; other refusals go next to their fields."""
    if hasattr(exc, "error_dict") and "limit_note" in exc.error_dict:
        errors = dict(exc.error_dict)
        form.ask_note([m for e in errors.pop("limit_note") for m in e.messages])
        if errors:
            apply_validation_error(form, ValidationError(errors))
    else:
        apply_validation_error(form, exc)


class ProjectFormMixin:
    template_name = "extension_projects/staff/project_form.html"

    def render_form(self, form, project=None, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "project": project, "q": _query(self.request)},
            status=status,
        )

    def save(self, form, write, denied: str):
        """Run `write` (it returns the project) for a valid form: the project's page with a message, or None with
        the refusal on the form (`denied` when the service gives no reason for a PermissionDenied)."""
        try:
            project = write()
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or denied)
        except ValidationError as exc:
            _apply_service_error(form, exc)
        else:
            messages.success(self.request, _("The project is saved."))
            return redirect(project.get_absolute_url())
        return None


class ProjectCreateView(ProjectFormMixin, requires(is_staff), View):
    def get(self, request):
        return self.render_form(ProjectForm(user=request.user, query=_query(request)))

    def post(self, request):
        if "find" in request.POST:
            return self.render_form(ProjectForm.for_search(request.POST, user=request.user, query=_query(request)))
        form = ProjectForm(request.POST, user=request.user)
        if form.is_valid():
            saved = self.save(
                form,
                lambda: services.project_create(
                    actor=request.user,
                    beneficiaries=form.cleaned_data["beneficiaries"],
                    funding=form.funding(),
                    limit_note=form.cleaned_data.get("note", ""),
                    **form.project_data(),
                ),
                denied=_("You may not record a project for this province."),
            )
            if saved is not None:
                return saved
        form.narrow(_query(request))
        return self.render_form(form, status=400)


def _funding_save(*, project, actor, funding: dict, existing: set, limit_note: str) -> None:
    """Set the approved amount of every source typed (or cleared); the limits are checked once, after the last."""
    changes = [
        (source.value, funding.get(source.value) or 0)
        for source in FUNDING_FIELDS
        if source.value in funding or source.value in existing
    ]
    for i, (source, amount) in enumerate(changes):
        services.funding_set(
            project=project,
            actor=actor,
            source=source,
            approved=amount,
            limit_note=limit_note,
            check_limits=i == len(changes) - 1,
        )


class ProjectUpdateView(ProjectFormMixin, ProjectPageMixin, View):
    def get(self, request, pk):
        project = self.get_project(pk)
        if project.status in CLOSED:
            raise Http404
        return self.render_form(ProjectForm(instance=project, user=request.user, query=_query(request)), project)

    def post(self, request, pk):
        project = self.get_project(pk)
        if project.status in CLOSED:
            raise Http404
        if "find" in request.POST:
            form = ProjectForm.for_search(request.POST, instance=project, user=request.user, query=_query(request))
            return self.render_form(form, project)
        existing = set(project.fundings.values_list("source", flat=True))
        form = ProjectForm(request.POST, instance=project, user=request.user)

        @transaction.atomic
        def write():
            services.project_update(
                project=project,
                actor=request.user,
                beneficiaries=form.cleaned_data["beneficiaries"],
                **form.project_data(),
            )
            _funding_save(
                project=project,
                actor=request.user,
                funding=form.funding(),
                existing=existing,
                limit_note=form.cleaned_data.get("note", ""),
            )
            return project

        if form.is_valid():
            saved = self.save(form, write, denied=_("You may not change this project."))
            if saved is not None:
                return saved
        form.narrow(_query(request))
        return self.render_form(form, self.get_project(pk), status=400)


class ProjectDetailBase(ProjectPageMixin, View):
    template_name = "extension_projects/staff/project_detail.html"

    def render_detail(self, project, *, disbursement_form=None, transition_form=None, status=200):
        funding = funding_table(project)
        transitions = []
        moves = _moves(project, self.request.user)
        for to in (m for m in moves if m != ProjectStatus.CANCELLED):  # cancelling has its own page
            form = transition_form if transition_form is not None and transition_form.to == to else None
            transitions.append(
                {
                    "to": to,
                    "label": ProjectStatus(to).label,
                    "missing": services.project_missing(project, to),
                    "form": form or TransitionForm(project=project, to=to),
                    "open": form is not None,
                }
            )
        sources = [row["source"] for row in funding["rows"] if row["approved"] > 0]
        context = {
            "project": project,
            "beneficiaries": project.beneficiaries.select_related("current_province").order_by("name", "id"),
            "funding": funding,
            "disbursements": project_disbursements(project),
            "can_disburse": project.status in DISBURSING,
            "disbursement_form": disbursement_form or DisbursementForm(sources=sources),
            "transitions": transitions,
            "status_log": project_status_log(project),
            "outputs": _outputs(project),
            "history": project_history(project),
            "can_edit": project.status not in CLOSED,
            "can_cancel": ProjectStatus.CANCELLED in moves,
        }
        return render(self.request, self.template_name, context, status=status)


def _moves(project, user) -> list[str]:
    return allowed_moves(project, user, workflow=services.PROJECT_WORKFLOW)


def _outputs(project) -> list[dict]:
    names = [*project.activity_type.output_fields()]
    names += [n for n in OutputField.values if n not in names and getattr(project, n) is not None]
    rows = [{"label": OutputField(n).label, "value": getattr(project, n), "money": False} for n in names]
    rows.append({"label": _("Jobs created"), "value": project.jobs_created, "money": False})
    rows.append({"label": _("Private investment attracted"), "value": project.private_investment, "money": True})
    return rows


class ProjectDetailView(ProjectDetailBase):
    def get(self, request, pk):
        return self.render_detail(self.get_project(pk))


class DisbursementAddView(ProjectDetailBase):
    def post(self, request, pk):
        project = self.get_project(pk)
        sources = [s for s in FundingSource.values if project.fundings.filter(source=s, approved__gt=0).exists()]
        form = DisbursementForm(request.POST, request.FILES, sources=sources)
        if form.is_valid():
            try:
                services.disbursement_add(project=project, actor=request.user, **form.cleaned_data)
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The disbursement is recorded."))
                return redirect(f"{project.get_absolute_url()}#disbursements")
        return self.render_detail(project, disbursement_form=form, status=400)


class TransitionView(ProjectDetailBase):
    def post(self, request, pk):
        project = self.get_project(pk)
        to = request.POST.get("to", "")
        if to == ProjectStatus.CANCELLED or to not in _moves(project, request.user):
            messages.error(request, _("This project cannot move to that status now."))
            return self.render_detail(project, status=400)
        form = TransitionForm(request.POST, project=project, to=to)
        if form.is_valid():
            try:
                services.project_transition(project=project, to=to, actor=request.user, **form.service_kwargs())
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The project is now “%(status)s”.") % {"status": ProjectStatus(to).label})
                return redirect(project.get_absolute_url())
        project = self.get_project(pk)
        return self.render_detail(project, transition_form=form, status=400)


class ProjectSummaryView(requires(is_staff), View):
    """What a province reports for a period: a fixed number of aggregate queries, whatever the number of projects.
    Every figure links to the list of the projects behind it."""

    def get(self, request):
        filterset = ProjectPeriodFilter(request.GET or None, queryset=projects_for_staff(request.user), request=request)
        summary = project_summary(filterset.qs)
        cleaned = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
        carried = {k: getattr(v, "pk", v) for k in CARRIED if (v := cleaned.get(k)) not in (None, "")}
        list_url = reverse("extension_projects:staff.project.list")

        def link(**params):
            query = urlencode({**carried, **params})
            return f"{list_url}?{query}" if query else list_url

        for row in summary["sources"]:
            row["url"] = link(source=row["source"])
        for row in summary["by_type"]:
            row["url"] = link(activity_type=row["activity_type"])
        return render(
            request,
            "extension_projects/staff/project_summary.html",
            {
                "filter": filterset,
                "summary": summary,
                "list_url": link(),
                "flagged_url": link(flag=FLAG_QUALITY),
                "output_columns": [(name, OutputField(name).label) for name in SUMMARY_OUTPUTS],
            },
        )
