"""Validation only: rounds are written by awards.services."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from portal.widgets import DecimalCommaField, FastSelect, MoneyField
from products.enums import OrganizationKind
from products.forms import DATE_ERRORS, DateInput, MultipleImageField
from products.models import AdministrativeUnit, Document, Organization, ProductGroup, ProductPhoto
from products.validators import validate_upload

from .enums import AreaKind, ConflictReason, CouncilRole, NominationStatus, OcopLevel, OcopTargetMetric, PhaseKind
from .models import Council, CouncilMember, CriteriaSheet, Level, Nomination, Round


def decimal_vi(value) -> str:
    """A saved decimal as a Vietnamese user types it: 15.60 reads "15,6" (DecimalCommaField takes it back)."""
    return format(value.normalize(), "f").replace(".", ",")


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "level",
            "year",
            "title",
            "organiser",
            "province",
            "local_unit",
            "region",
            "min_score",
            "quota_per_province",
            "notes",
        ]
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
        provinces = AdministrativeUnit.objects.filter(level="province", is_current=True).order_by("name")
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
class NominationStartForm(forms.Form):
    round = forms.ModelChoiceField(
        queryset=Round.objects.none(), label=_("Round"), widget=forms.RadioSelect, empty_label=None
    )
    product = forms.ModelChoiceField(
        queryset=None, label=_("Product"), widget=FastSelect, empty_label=_("Choose a product")
    )

    def __init__(self, *args, rounds, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: (
            _("%(title)s — %(level)s · registration until %(date)s")
            % {"title": r.title, "level": r.level, "date": r.registration.ends_on.strftime("%d/%m/%Y")}
        )
        if rounds.count() == 1:
            self.fields["round"].initial = rounds.first().pk
        self.fields["product"].queryset = products

    @staticmethod
    def round_label(r):
        return _("%(title)s — %(level)s · registration until %(date)s") % {
            "title": r.title,
            "level": r.level,
            "date": r.registration.ends_on.strftime("%d/%m/%Y"),
        }


class NominationFormForm(forms.ModelForm):
    annual_revenue = MoneyField(
        label=_("Annual revenue of the product (VND)"),
        required=False,
        min_value=0,
        help_text=_("Whole đồng, e.g. 1.075.000.000"),
    )

    class Meta:
        model = Nomination
        fields = list(Nomination.FORM_FIELDS)
        widgets = {
            "materials": forms.Textarea(attrs={"rows": 3}),
            "markets": forms.Textarea(attrs={"rows": 3}),
            "highlights": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, editable=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Nomination.REQUIRED_FORM_FIELDS:
            self.fields[name].required = True
        if editable is not None:
            for name, field in self.fields.items():
                field.disabled = f"field:{name}" not in editable


class AttachDocumentForm(forms.Form):
    """Choose one of the documents on file for a checklist item."""

    document = forms.ModelChoiceField(
        queryset=Document.objects.none(), label=_("Document on file"), required=False, empty_label=_("— none —")
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = choices
        self.fields["document"].label_from_instance = lambda d: " · ".join(
            p
            for p in (
                d.number or d.original_name,
                d.issuer,
                _("valid until %(date)s") % {"date": d.expiry_date.strftime("%d/%m/%Y")} if d.expiry_date else "",
            )
            if p
        )


class UploadDocumentForm(forms.Form):
    """Upload a new document for a checklist item; it is kept on the producer's file for later rounds too."""

    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    issue_date = forms.DateField(label=_("Issue date"), required=False, widget=DateInput(), error_messages=DATE_ERRORS)
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        validate_upload(f)
        return f

    def clean(self):
        cleaned = super().clean()
        issue, expiry = cleaned.get("issue_date"), cleaned.get("expiry_date")
        if issue and expiry and expiry < issue:
            self.add_error("expiry_date", _("The expiry date is before the issue date."))
        elif expiry and expiry < timezone.localdate():
            self.add_error("expiry_date", _("This document has expired: upload one that is still valid."))
        return cleaned


class NominationPhotosForm(forms.Form):
    photos = forms.ModelMultipleChoiceField(
        queryset=ProductPhoto.objects.none(),
        label=_("Photos of the dossier"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_photos = MultipleImageField(
        label=_("Add photos"),
        required=False,
        help_text=_("JPEG or PNG, several at once; they are added to the product too."),
    )

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].queryset = product.photos.all()
        self.fields["photos"].label_from_instance = lambda p: p.caption or p.original_name


class DeclarationForm(forms.Form):
    declaration_accepted = forms.BooleanField(
        label=_(
            "I declare that the product is made by our establishment, can be produced in series, and that we "
            "have no violation of intellectual property, quality, labour safety, food safety or environmental "
            "rules; the information in this dossier is true."
        ),
        required=False,
    )


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("Parts to correct"), widget=forms.CheckboxSelectMultiple)
    message = forms.CharField(label=_("Message to the producer"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Correct by"), widget=DateInput(), error_messages=DATE_ERRORS)

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = parts

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline is in the past."))
        return deadline


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=100, help_text=_("E.g. 125/QĐ-UBND"))
    date = forms.DateField(label=_("Decision date"), widget=DateInput(), error_messages=DATE_ERRORS)
    issuing_body = forms.ModelChoiceField(
        label=_("Issuing body"),
        queryset=Organization.objects.none(),
        widget=FastSelect,
        empty_label=_("Choose the issuing body"),
    )
    signer_title = forms.CharField(
        label=_("Signer's title"), max_length=255, help_text=_("E.g. KT. CHỦ TỊCH – PHÓ CHỦ TỊCH")
    )
    signer_name = forms.CharField(label=_("Signer's name"), max_length=255)
    nominations = forms.ModelMultipleChoiceField(
        label=_("Recognised products"), queryset=Nomination.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, round_, rows, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Organization.objects.filter(kind__in=["peoples_committee", "ministry_agency", "department"])
        if round_.province_id:
            bodies = bodies.filter(province_id=round_.province_id)
        self.fields["issuing_body"].queryset = bodies.order_by("kind", "name")
        scored = [row for row in rows if row["result"].count]
        self.fields["nominations"].queryset = Nomination.objects.filter(pk__in=[r["nomination"].pk for r in scored])
        labels = {
            r["nomination"].pk: f"{r['nomination'].product.name} — {number_format(r['result'].score, 2)}"
            for r in scored
        }
        self.fields["nominations"].label_from_instance = lambda n: labels.get(n.pk, str(n))
        self.initial.setdefault("nominations", [r["nomination"].pk for r in scored if r["passes"]])


# -- councils -------------------------------------------------------------------------------------------------
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


class RecognitionForm(forms.Form):
    """A recognition from the paper archive; saved through services.recognition_record. The product list holds
    the products the staff member may record for (narrowed by a search on the page, so it stays short)."""

    DISPLAY_LIMIT = 300

    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Level.objects.none(),
        widget=FastSelect,
        empty_label=_("Choose a product"),
        error_messages={"required": _("Choose the product."), "invalid_choice": _("Choose a product from the list.")},
    )
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=Level.objects.none(), widget=FastSelect, empty_label=_("Choose a level")
    )
    year = forms.IntegerField(
        label=_("Year"), widget=forms.NumberInput(attrs={"min": 2012, "max": 2100, "inputmode": "numeric"})
    )
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=100, help_text=_("As printed on the decision, e.g. 1450/QĐ-UBND.")
    )
    decision_date = forms.DateField(
        label=_("Decision date"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, products, levels, query="", **kwargs):
        super().__init__(*args, **kwargs)
        self.products = products.select_related("producer").order_by("name", "id")
        self.fields["product"].label_from_instance = lambda p: f"{p.name} — {p.producer.name}"
        self.fields["level"].queryset = levels
        # A bound form validates against every product the user may record for; the list shown is narrowed.
        self.fields["product"].queryset = self.products if self.is_bound else self.shown_products(query)

    def shown_products(self, query):
        from products.selectors import search_filter

        selected = self.data.get("product") if self.is_bound else self.initial.get("product")
        selected = getattr(selected, "pk", selected)
        matches = search_filter(self.products, query) if query else self.products
        keys = list(matches.values_list("pk", flat=True)[: self.DISPLAY_LIMIT])
        if str(selected or "").isdigit():
            keys.append(int(selected))
        return self.products.filter(pk__in=keys)

    def narrow(self, query):
        """After validation, show the narrowed list again (with the product chosen)."""
        self.fields["product"].queryset = self.shown_products(query)


# -- certificates ----------------------------------------------------------------------------------------------------
class CertificateIssueForm(forms.Form):
    """Issuing certificates: for every recognition of a decision, or for one recognition (from the archive).
    The signer and the issuing body default to the decision's."""

    issued_on = forms.DateField(
        label=_("Issue date"), widget=DateInput(), error_messages={**DATE_ERRORS, "required": _("Give the issue date.")}
    )
    issuing_body = forms.ModelChoiceField(
        label=_("Issuing body"),
        queryset=Organization.objects.none(),
        widget=FastSelect,
        empty_label=_("Choose the issuing body"),
        error_messages={"required": _("Choose the body that issues the certificate.")},
    )
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=255,
        help_text=_("E.g. KT. CHỦ TỊCH – PHÓ CHỦ TỊCH"),
        error_messages={"required": _("Give the signer's title.")},
    )
    signer_name = forms.CharField(
        label=_("Signer's name"), max_length=255, error_messages={"required": _("Give the signer's name.")}
    )

    def __init__(self, *args, bodies, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_body"].queryset = bodies
        self.initial.setdefault("issued_on", timezone.localdate())
        if decision is not None:
            self.initial.setdefault("issuing_body", decision.issuing_body_id)
            self.initial.setdefault("signer_title", decision.signer_title)
            self.initial.setdefault("signer_name", decision.signer_name)


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for revoking the certificate.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for revoking the certificate."))
        return reason


class CertificateReissueForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Issue date of the new certificate"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Give the issue date.")},
    )
    reason = forms.CharField(
        label=_("Reason for re-issuing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the original was lost or damaged, or the producer changed its name."),
        error_messages={"required": _("Give the reason for re-issuing the certificate.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("issued_on", timezone.localdate())


# -- OCOP --------------------------------------------------------------------------------------------------------------
class OcopRatingForm(forms.Form):
    """An OCOP rating from a decision; saved through services.ocop_rating_record, which checks the stars against
    the score's band and the parts against the criteria set in force on the decision date. The product list
    holds the products the staff member may rate, narrowed by a search on the page (`query`)."""

    DISPLAY_LIMIT = 300

    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=ProductGroup.objects.none(),
        widget=FastSelect,
        empty_label=_("Choose a product"),
        error_messages={"required": _("Choose the product."), "invalid_choice": _("Choose a product from the list.")},
    )
    stars = forms.TypedChoiceField(
        label=_("Stars"),
        choices=[("", _("Choose")), *[(n, f"{n}★") for n in range(1, 6)]],
        coerce=int,
        error_messages={"required": _("Choose the number of stars.")},
    )
    score = DecimalCommaField(
        label=_("Score (out of 100)"),
        max_digits=5,
        decimal_places=2,
        error_messages={"required": _("Give the score.")},
    )
    part_a = DecimalCommaField(
        label=_("Part A – production organisation and community"), max_digits=5, decimal_places=2, required=False
    )
    part_b = DecimalCommaField(label=_("Part B – marketing and sales"), max_digits=5, decimal_places=2, required=False)
    part_c = DecimalCommaField(label=_("Part C – product quality"), max_digits=5, decimal_places=2, required=False)
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=100,
        help_text=_("As printed on the decision, e.g. 1688/QĐ-UBND."),
        error_messages={"required": _("Give the decision number.")},
    )
    decision_date = forms.DateField(
        label=_("Decision date"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Give the decision date.")},
    )
    level = forms.ChoiceField(
        label=_("Evaluated at"),
        choices=[("", _("By the stars (province for 3★–4★, national for 5★)")), *OcopLevel.choices],
        required=False,
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, products, valid_months: int, query="", **kwargs):
        super().__init__(*args, **kwargs)
        self.products = products.select_related("producer").order_by("name", "id")
        self.fields["product"].label_from_instance = lambda p: f"{p.name} — {p.producer.name}"
        self.fields["product"].queryset = self.products if self.is_bound else self.shown_products(query)
        self.fields["valid_until"].help_text = _(
            "Leave empty for %(months)d months from the decision date (the day before)."
        ) % {"months": valid_months}

    def shown_products(self, query):
        from products.selectors import search_filter

        selected = self.data.get("product") if self.is_bound else self.initial.get("product")
        selected = getattr(selected, "pk", selected)
        matches = search_filter(self.products, query) if query else self.products
        keys = list(matches.values_list("pk", flat=True)[: self.DISPLAY_LIMIT])
        if str(selected or "").isdigit():
            keys.append(int(selected))
        return self.products.filter(pk__in=keys)

    def narrow(self, query):
        """After validation, show the narrowed list again (with the product chosen)."""
        self.fields["product"].queryset = self.shown_products(query)


class OcopTargetForm(forms.Form):
    """One target of the province for a year; an existing target of the same year and kind is changed."""

    year = forms.IntegerField(
        label=_("By year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
        error_messages={"required": _("Give the year.")},
    )
    metric = forms.ChoiceField(label=_("Target"), choices=[("", _("Choose")), *OcopTargetMetric.choices])
    value = DecimalCommaField(
        label=_("Value"),
        max_digits=8,
        decimal_places=2,
        help_text=_("A number of products, or a percentage for the shares."),
        error_messages={"required": _("Give the target value.")},
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
