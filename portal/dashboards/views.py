"""The staff dashboard: a province's figures for its staff, every province's (or one chosen) for a ministry official
or a superuser. Each block is a chart drawn on the server (portal.dashboards.charts) and a table of the same
numbers next to it; every number links to the list of the records it counts, filtered the same way."""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.core.access import can_read_lists, requires
from portal.core.collation import vietnamese_key
from portal.core.widgets import FastSelect

from .blocks import BLOCKS, Links
from .reference import Reference, Scope, dashboard_reference
from .tallies import last_refresh


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, with the same names as the lists' filters. Choices come from the page's one
    reference query, so the form costs no query of its own."""

    province = forms.TypedChoiceField(
        label=gettext_lazy("Province (today)"), coerce=int, required=False, widget=FastSelect
    )
    recorded_province = forms.TypedChoiceField(
        label=gettext_lazy("Province as it was (before 1 July 2025)"), coerce=int, required=False, widget=FastSelect
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("From year"),
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("To year"),
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
    )
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False, widget=FastSelect)
    group = forms.TypedChoiceField(label=gettext_lazy("Product group"), coerce=int, required=False, widget=FastSelect)

    def __init__(self, *args, reference: Reference, **kwargs):
        super().__init__(*args, **kwargs)
        if reference.national:
            self.fields["province"].choices = [("", _("All provinces"))] + [
                (p.pk, p.name) for p in sorted(reference.today_provinces(), key=lambda p: vietnamese_key(p.name))
            ]
        else:  # a province's staff read their own province: nothing to choose
            del self.fields["province"]
        self.fields["recorded_province"].choices = [("", "—")] + [
            (p.pk, p.name) for p in sorted(reference.old_provinces(), key=lambda p: vietnamese_key(p.name))
        ]
        self.fields["level"].choices = [("", _("All levels"))] + [(lv.code, lv.name) for lv in reference.levels]
        self.fields["group"].choices = [("", _("All groups"))] + [(g.pk, g.name) for g in reference.groups]

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The end year comes before the start year."))
        return data


def scope_of(reference: Reference, form: DashboardFilterForm) -> Scope:
    """The reader's province and the filters that validated (an invalid value is shown as an error and ignored)."""
    data = form.cleaned_data if form.is_bound else {}
    errors = form.errors if form.is_bound else {}

    def value(name):
        return None if name in errors else (data.get(name) or None)

    return Scope(
        reach=reference.reach,
        province=value("province"),
        recorded_province=value("recorded_province"),
        year_from=value("year_from"),
        year_to=value("year_to"),
        level=value("level"),
        group=value("group"),
    )


class DashboardView(requires(can_read_lists), View):
    """Nine queries whatever the data (ten nationally): two for the session and the user, one for the reference
    data (provinces, levels, groups), one for the time of the maintained figures (portal.dashboards.tallies),
    four for the blocks (portal.dashboards.blocks: recognitions; OCOP targets and OCOP figures; the khuyến công
    and fairs figures, read once for both blocks) and, for a national reader with no province chosen, one for the
    ranking of provinces."""

    template_name = "portal/dashboards/dashboard.html"

    def get(self, request):
        reference = dashboard_reference(request.user)
        reference.refresh = last_refresh()
        form = DashboardFilterForm(request.GET or None, reference=reference)
        if form.is_bound:
            form.is_valid()
        scope = scope_of(reference, form)
        links = Links(scope)
        context, key_figures = {}, []
        for block in BLOCKS:
            block_context = block(reference, scope, links).context()
            key_figures += block_context.pop("key_figures")
            context.update(block_context)
        chosen = scope.recorded_province or scope.province or scope.own_province
        return render(
            request,
            self.template_name,
            {
                "filter": {"form": form},
                "form": form,
                "national": reference.national,
                "province": reference.provinces.get(chosen) if chosen else None,
                "own_province": reference.provinces.get(reference.own_province),
                "scope": scope,
                "level": reference.level_by_code(scope.level),
                "key_figures": key_figures,
                "data_time": reference.refresh.refreshed_at,
                **context,
                "recognition_summary_url": reverse("awards:staff.recognition.summary"),
                "ocop_targets_url": reverse("awards:staff.ocop.targets")
                + (f"?province={scope.province}" if scope.province else ""),
                "comparison_url": comparison_url(scope),
            },
        )


def comparison_url(scope: Scope) -> str:
    """The comparison of provinces over the dashboard's years."""
    params = {name: value for name in ("year_from", "year_to") if (value := getattr(scope, name))}
    url = reverse("comparison:staff.province.compare")
    return f"{url}?{urlencode(params)}" if params else url
