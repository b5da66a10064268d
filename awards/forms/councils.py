"""Forms of judging councils: the council, its members, conflicts of interest, field visits and minutes."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import DecimalCommaField
from products.forms import DATE_ERRORS, DateInput
from products.models import ProductGroup

from ..enums import ConflictReason, CouncilRole, NominationStatus
from ..models import Council, CouncilMember, CriteriaSheet, Nomination
from .rounds import decimal_vi


class CouncilForm(forms.ModelForm):
    """The council's legal facts and how it scores; saved through services.council_create / council_update."""

    outlier_points = DecimalCommaField(
        label=_("Outlier when a total differs from the median by more than"), min_value=0, decimal_places=2
    )
    pass_two_cut = DecimalCommaField(label=_("Cut score for the second pass"), min_value=0, decimal_places=2)

    class Meta:
        model = Council
        fields = [
            "name",
            "decision_number",
            "decision_date",
            "signer",
            "criteria_sheet",
            "assignment_mode",
            "aggregate_method",
            "trim_from",
            "outlier_points",
            "passes",
            "pass_two_cut",
        ]
        widgets = {"decision_date": DateInput()}
        error_messages = {"decision_date": DATE_ERRORS}
        help_texts = {
            "decision_number": _("E.g. 15/QĐ-SCT"),
            "signer": _("E.g. Giám đốc Sở Công Thương"),
            "passes": _("1, or 2 for a national round: a field visit and a second pass above the cut."),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_sheet"].queryset = CriteriaSheet.objects.filter(programme=programme).order_by(
            "code", "-version"
        )
        self.fields["criteria_sheet"].empty_label = _("Choose a criteria sheet")
        for name in ("outlier_points", "pass_two_cut"):
            if not self.is_bound and isinstance(self.initial.get(name), Decimal):
                self.initial[name] = decimal_vi(self.initial[name])
        self.fields["criteria_sheet"].label_from_instance = lambda s: (
            _("%(name)s · version %(version)s")
            % {
                "name": s.name,
                "version": s.version,
            }
        )
        self.fields["passes"].widget = forms.Select(choices=[(1, "1"), (2, "2")])

    def data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


def _group_field():
    return forms.ModelMultipleChoiceField(
        label=_("Product groups scored"),
        queryset=ProductGroup.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when members score the product groups assigned to them."),
    )


class CouncilMemberInviteForm(forms.Form):
    """A person seated by e-mail address: an existing account, or a new one invited to choose its password."""

    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("If the person already has an account, it is seated as it is; otherwise give the name below."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=CouncilRole.choices, initial=CouncilRole.MEMBER)
    organization = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    is_jury = forms.BooleanField(
        label=_("Scores dossiers (jury); leave unticked for the secretariat"), required=False, initial=True
    )
    groups = _group_field()


class CouncilMemberUpdateForm(forms.ModelForm):
    groups = _group_field()

    class Meta:
        model = CouncilMember
        fields = ["role", "organization", "is_jury", "groups"]


class ConflictForm(forms.Form):
    """Staff record a member's conflict of interest with a dossier of the round."""

    member = forms.ModelChoiceField(
        label=_("Council member"), queryset=CouncilMember.objects.none(), empty_label=_("Choose a council member")
    )
    nomination = forms.ModelChoiceField(
        label=_("Dossier"), queryset=Nomination.objects.none(), empty_label=_("Choose a dossier")
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *ConflictReason.choices],
        error_messages={"required": _("Choose the reason for the conflict of interest.")},
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = council.members.select_related("user").order_by("user__full_name")
        self.fields["member"].label_from_instance = lambda m: f"{m.user.full_name} ({m.get_role_display()})"
        self.fields["nomination"].queryset = (
            Nomination.objects.filter(round_id=council.round_id, receipt_code__isnull=False)
            .exclude(
                status__in=[
                    NominationStatus.DRAFT,
                    NominationStatus.SCORED,
                    NominationStatus.RECOGNISED,
                    NominationStatus.NOT_RECOGNISED,
                    NominationStatus.NOT_SCORED,
                ]
            )
            .select_related("product")
            .order_by("receipt_code")
        )
        self.fields["nomination"].label_from_instance = lambda n: f"{n.receipt_code} · {n.product.name}"


class ConflictDeclareForm(forms.Form):
    """A member declares its own conflict of interest with a dossier."""

    # No reason preselected: the declaration cannot be withdrawn by the member, so it is never one click away.
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *ConflictReason.choices],
        error_messages={"required": _("Choose the reason for the conflict of interest.")},
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


# -- field visits ---------------------------------------------------------------------------------------------
class FieldVisitForm(forms.Form):
    """The field visit of a short-listed dossier; saved through services.field_visit_record."""

    visited_on = forms.DateField(
        label=_("Visit date"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Give the date of the visit.")},
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members who went"),
        queryset=CouncilMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = council.members.select_related("user").order_by("role", "id")
        self.fields["members"].label_from_instance = lambda m: f"{m.user.full_name} ({m.get_role_display()})"


class CouncilMinutesForm(forms.Form):
    """The council's meeting for the minutes; saved through services.council_minutes_update."""

    meeting_date = forms.DateField(
        label=_("Meeting date"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Give the date of the meeting.")},
    )
    meeting_place = forms.CharField(
        label=_("Meeting place"),
        max_length=255,
        help_text=_("E.g. the meeting hall of the Department of Industry and Trade"),
        error_messages={"required": _("Give the place of the meeting.")},
    )
    minutes_notes = forms.CharField(
        label=_("Opinions and conclusions of the council"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Printed in the minutes as written, line by line."),
    )
