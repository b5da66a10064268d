"""Forms of award rounds: the round, its phases and its status."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import FastSelect
from products.enums import OrganizationKind
from products.forms import DATE_ERRORS, DateInput
from products.models import AdministrativeUnit, Organization

from ..enums import AreaKind, PhaseKind
from ..models import Level, Round
from ..services.rounds import ROUND_FIELDS


def decimal_vi(value) -> str:
    """A saved decimal as a Vietnamese user types it: 15.60 reads "15,6" (DecimalCommaField takes it back)."""
    return format(value.normalize(), "f").replace(".", ",")


QUORUM_FIELDS = ("quorum_numerator", "quorum_denominator")


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = list(ROUND_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 4}), "local_unit": FastSelect, "province": FastSelect}

    def __init__(self, *args, user, programme, **kwargs):
        super().__init__(*args, **kwargs)
        levels = Level.objects.filter(programme=programme).order_by("rank", "valid_from")
        if not user.is_superuser:
            # The ministry agency runs region and national rounds; a province runs the levels below.
            national = [AreaKind.REGION, AreaKind.NATIONAL]
            is_ministry = user.organization is not None and user.organization.kind == OrganizationKind.MINISTRY_AGENCY
            levels = levels.filter(area_kind__in=national) if is_ministry else levels.exclude(area_kind__in=national)
        self.fields["level"].queryset = levels
        organisations = Organization.objects.select_related("province")
        provinces = AdministrativeUnit.objects.provinces()
        if not user.is_superuser:
            org = user.organization
            organisations = organisations.filter(Q(province_id=org.province_id) | Q(pk=org.pk))
            if org.province_id:
                provinces = provinces.filter(pk=org.province_id)
        self.fields["organiser"].queryset = organisations
        self.fields["province"].queryset = provinces
        self.fields["province"].label_from_instance = lambda u: u.full_name
        province_id = self.data.get(self.add_prefix("province")) if self.is_bound else self.instance.province_id
        if not province_id and provinces.count() == 1:
            province_id = provinces.first().pk
        self.fields["local_unit"].queryset = (
            AdministrativeUnit.objects.filter(
                Q(parent_id=province_id) | Q(parent__successor_id=province_id, level="district")
            ).order_by("-is_current", "name")
            if str(province_id or "").isdigit()
            else AdministrativeUnit.objects.none()
        )
        self.fields["local_unit"].label_from_instance = str
        for name in QUORUM_FIELDS:  # left empty: the round keeps its quorum (2 out of every 3 for a new one)
            self.fields[name].required = False

    def _clean_quorum(self, name):
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value

    def clean_quorum_numerator(self):
        return self._clean_quorum("quorum_numerator")

    def clean_quorum_denominator(self):
        return self._clean_quorum("quorum_denominator")
        self.fields["local_unit"].help_text = _(
            "Only for commune rounds (a commune or ward of today) and district rounds (a district before 1 July 2025)."
        )


class PhasesForm(forms.Form):
    """Start and end dates of each phase; registration is required, the others when known."""

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {p.kind: p for p in round_.phases.all()} if round_ is not None else {}
        for kind in PhaseKind:
            required = kind == PhaseKind.REGISTRATION
            phase = existing.get(kind)
            self.fields[f"{kind}_starts"] = forms.DateField(
                label=_("%(phase)s: from") % {"phase": kind.label},
                required=required,
                widget=DateInput(),
                error_messages=DATE_ERRORS,
                initial=phase.starts_on if phase else None,
            )
            self.fields[f"{kind}_ends"] = forms.DateField(
                label=_("%(phase)s: to") % {"phase": kind.label},
                required=required,
                widget=DateInput(),
                error_messages=DATE_ERRORS,
                initial=phase.ends_on if phase else None,
            )

    def clean(self):
        cleaned = super().clean()
        for kind in PhaseKind:
            starts, ends = cleaned.get(f"{kind}_starts"), cleaned.get(f"{kind}_ends")
            if (
                bool(starts) != bool(ends)
                and not self.errors.get(f"{kind}_starts")
                and not self.errors.get(f"{kind}_ends")
            ):
                self.add_error(f"{kind}_ends" if starts else f"{kind}_starts", _("Give both dates of this phase."))
            elif starts and ends and ends < starts:
                self.add_error(f"{kind}_ends", _("The end is before the start."))
        return cleaned

    def phases(self) -> dict:
        data = self.cleaned_data
        return {
            kind: (data[f"{kind}_starts"], data[f"{kind}_ends"])
            for kind in PhaseKind
            if data.get(f"{kind}_starts") and data.get(f"{kind}_ends")
        }

    def rows(self):
        """(label, start field, end field) per phase, for the template's table."""
        return [(kind.label, self[f"{kind}_starts"], self[f"{kind}_ends"]) for kind in PhaseKind]


class RoundStatusForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


# -- nominations ----------------------------------------------------------------------------------------------
