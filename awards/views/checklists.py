"""Department staff: a round's dossier checklist and photo rules (superusers may still use the admin)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .. import services
from ..enums import RoundStatus
from ..forms import ChecklistFormSet, GroupRuleFormSet
from ..services.checklists import items_in_use, registration_started
from .rounds import RoundMixin


class RoundChecklistView(RoundMixin, View):
    template_name = "awards/staff/round_checklist.html"

    def formsets(self, round_, data=None):
        in_use = items_in_use(round_)
        items = ChecklistFormSet(
            data,
            prefix="items",
            in_use=in_use,
            queryset=round_.checklist.select_related("group", "document_type"),
        )
        rules = GroupRuleFormSet(data, prefix="rules", queryset=round_.group_rules.select_related("group"))
        return items, rules

    def get(self, request, pk):
        round_ = self.get_round(pk, manage=True)
        return self.render(round_, *self.formsets(round_))

    def post(self, request, pk):
        round_ = self.get_round(pk, manage=True)
        items, rules = self.formsets(round_, request.POST)
        if items.is_valid() and rules.is_valid():
            photo_rules = {form.instance.pk: form.cleaned_data for form in rules.forms if form.has_changed()}
            try:
                services.round_checklist_update(round_=round_, actor=request.user, rows=items.rows(), rules=photo_rules)
            except ValidationError as exc:
                for message in exc.messages:
                    items._non_form_errors.append(message)
            else:
                messages.success(request, _("The checklist and photo rules are saved."))
                return redirect(round_.get_absolute_url())
        return self.render(round_, items, rules, status=400)

    def render(self, round_, items, rules, status=200):
        context = {
            "round": round_,
            "items": items,
            "rules": rules,
            "closed": round_.status == RoundStatus.CLOSED,
            "registration_started": registration_started(round_),
        }
        return render(self.request, self.template_name, context, status=status)
