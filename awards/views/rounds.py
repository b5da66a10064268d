"""Department staff: award rounds of their province (and the region/national rounds it takes part in)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.core.access import is_staff, requires
from portal.core.list_exports import ListExportMixin
from portal.core.pagination import KeysFirstPaginator
from products.views.common import apply_validation_error

from .. import services
from ..access import can_create_rounds, can_manage_round
from ..enums import ROUND_TRANSITIONS, RoundStatus
from ..forms import PhasesForm, RoundForm, RoundStatusForm
from ..list_exports import RoundListExport
from ..models import Programme
from ..selectors import rounds_for_staff

STATUS_ACTIONS = {
    RoundStatus.PUBLISHED: gettext_lazy("Publish"),
    RoundStatus.CLOSED: gettext_lazy("Close the round"),
}


def _programme():
    return Programme.objects.get(code="spcnnttb")


class RoundListView(requires(is_staff), ListExportMixin, View):
    export_resource_class = RoundListExport
    export_filename = "dot-binh-chon"
    export_title = gettext_lazy("Award rounds")

    def get_export_queryset(self):
        return self.filtered(self.request)

    def filtered(self, request):
        rounds = rounds_for_staff(request.user)
        year = request.GET.get("year", "")
        return rounds.filter(year=int(year)) if year.isdigit() else rounds

    def get(self, request):
        rounds = self.filtered(request)
        year = request.GET.get("year", "")
        paginator = KeysFirstPaginator(rounds, 25)
        page = paginator.get_page(request.GET.get("page"))
        return render(
            request,
            "awards/staff/round_list.html",
            {
                "rounds": page.object_list,
                "page_obj": page,
                "year": year,
                "can_create": can_create_rounds(request.user),
            },
        )


class RoundMixin(requires(is_staff)):
    def get_round(self, pk, *, manage=False):
        round_ = get_object_or_404(rounds_for_staff(self.request.user).select_related("level__programme"), pk=pk)
        if manage and not can_manage_round(self.request.user, round_)[0]:
            raise PermissionDenied
        return round_


class RoundDetailView(RoundMixin, View):
    def get(self, request, pk):
        round_ = self.get_round(pk)
        allowed, _reason = can_manage_round(request.user, round_)
        actions = (
            [(to, STATUS_ACTIONS.get(to, _("Reopen"))) for to in ROUND_TRANSITIONS[round_.status]] if allowed else []
        )
        return render(
            request,
            "awards/staff/round_detail.html",
            {
                "round": round_,
                "can_manage": allowed,
                "actions": actions,
                "checklist": round_.checklist.select_related("group", "document_type"),
                "group_rules": round_.group_rules.select_related("group"),
                "status_log": round_.status_log.select_related("actor")[:20],
            },
        )


class RoundFormView(RoundMixin, View):
    template_name = "awards/staff/round_form.html"

    def get(self, request, pk=None):
        round_ = self.get_round(pk, manage=True) if pk else None
        self.check_create(round_)
        form = RoundForm(instance=round_, user=request.user, programme=_programme())
        return self.render(form, PhasesForm(round_=round_), round_)

    def post(self, request, pk=None):
        round_ = self.get_round(pk, manage=True) if pk else None
        self.check_create(round_)
        form = RoundForm(request.POST, instance=round_, user=request.user, programme=_programme())
        phases = PhasesForm(request.POST, round_=round_)
        if form.is_valid() and phases.is_valid():
            data = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                if round_ is None:
                    saved = services.round_create(programme=_programme(), phases=phases.phases(), **data)
                else:
                    saved = services.round_update(round_=round_, phases=phases.phases(), **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The round is saved."))
                return redirect(saved.get_absolute_url())
        return self.render(form, phases, round_, status=400)

    def check_create(self, round_):
        if round_ is None and not can_create_rounds(self.request.user):
            raise PermissionDenied

    def render(self, form, phases, round_, status=200):
        return render(
            self.request, self.template_name, {"form": form, "phases": phases, "round": round_}, status=status
        )


class RoundStatusView(RoundMixin, View):
    def post(self, request, pk):
        round_ = self.get_round(pk, manage=True)
        form = RoundStatusForm(request.POST)
        if not form.is_valid() or form.cleaned_data["to"] not in RoundStatus.values:
            raise Http404
        try:
            services.round_set_status(
                round_=round_, to=form.cleaned_data["to"], actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The round is now “%(status)s”.") % {"status": round_.get_status_display()})
        return redirect(round_.get_absolute_url())
