"""Councils, the versioned criteria sheet, conflicts of interest and score sheets (Phụ lục 4, 100 points)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.models import StatusLog
from products.models import ProductGroup

from ..enums import AggregateMethod, AssignmentMode, ConflictReason, CouncilRole, DossierFact, SheetStatus
from .nominations import Nomination
from .rounds import Programme, Round


class CriteriaSheet(models.Model):
    """A versioned score-sheet template. A version in use by a round is never edited: copy it instead."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="criteria_sheets")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=255)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("criteria sheet")
        verbose_name_plural = _("criteria sheets")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["programme", "code", "version"], name="unique_sheet_version")]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def in_use(self) -> bool:
        return self.rounds.exists()


def validate_facts(value):
    """A list of DossierFact keys."""
    if not isinstance(value, list) or any(key not in DossierFact.values for key in value):
        raise ValidationError(
            _("List the dossier facts as keys among: %(keys)s.") % {"keys": ", ".join(DossierFact.values)}
        )


def validate_levels(value):
    """A list of score levels, each {"points": "16–20", "description": "..."}."""
    if not isinstance(value, list) or any(
        not isinstance(level, dict)
        or set(level) != {"points", "description"}
        or not all(isinstance(level[key], str) and level[key].strip() for key in level)
        for level in value
    ):
        raise ValidationError(_('List the score levels as {"points": "16–20", "description": "..."}.'))


class Criterion(models.Model):
    """A criterion group (no parent, e.g. "1. Market and production, 40") or a sub-criterion scored by members."""

    sheet = models.ForeignKey(CriteriaSheet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField(_("number"), max_length=10)
    title = models.CharField(_("criterion"), max_length=500)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    order = models.PositiveSmallIntegerField(default=0)
    # On a group: the dossier's facts its sub-criteria are scored on, shown next to the group on the sheet.
    facts = models.JSONField(
        _("dossier facts shown"),
        default=list,
        blank=True,
        validators=[validate_facts],
        help_text=_('For a criterion group: the dossier\'s facts shown next to it, e.g. ["labour", "market"].'),
    )
    # On a sub-criterion: what each score level means, best first.
    levels = models.JSONField(
        _("score levels"),
        default=list,
        blank=True,
        validators=[validate_levels],
        help_text=_('For a sub-criterion: each score level, e.g. [{"points": "16–20", "description": "..."}].'),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sheet", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="unique_criterion_code")]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Council(models.Model):
    """The selection council of a round (Hội đồng bình chọn), set up by a numbered decision."""

    round = models.OneToOneField(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="council")
    name = models.CharField(_("name"), max_length=255)
    decision_number = models.CharField(_("establishing decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=255)
    criteria_sheet = models.ForeignKey(
        CriteriaSheet, verbose_name=_("criteria sheet"), on_delete=models.PROTECT, related_name="rounds"
    )
    assignment_mode = models.CharField(
        _("who scores what"), max_length=20, choices=AssignmentMode.choices, default=AssignmentMode.ALL
    )
    aggregate_method = models.CharField(
        _("aggregate"), max_length=20, choices=AggregateMethod.choices, default=AggregateMethod.MEAN
    )
    trim_from = models.PositiveSmallIntegerField(_("trim from this many sheets"), default=5)
    outlier_points = models.DecimalField(
        _("outlier when a total differs from the median by more than"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15"),
    )
    passes = models.PositiveSmallIntegerField(
        _("scoring passes"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    pass_two_cut = models.DecimalField(
        _("cut score for the second pass"), max_digits=5, decimal_places=2, default=Decimal("70")
    )
    current_pass = models.PositiveSmallIntegerField(_("pass being scored"), default=1)
    # The council's meeting, for the minutes (biên bản) the secretary exports.
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=255, blank=True)
    minutes_notes = models.TextField(
        _("conclusions for the minutes"),
        blank=True,
        help_text=_("Opinions and conclusions of the council, printed in the minutes."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self):
        return self.name

    @property
    def first_pass_open(self) -> bool:
        """A two-pass council still scoring its first pass: the second pass decides, so no score is final yet."""
        return self.passes == 2 and self.current_pass == 1

    def pass_closed(self, pass_no: int) -> bool:
        """A pass before the one being scored: its sheets are on record and can no longer change."""
        return pass_no < self.current_pass


class CouncilPassLog(StatusLog):
    """The closing of a two-pass council's first pass: `from_status`/`to_status` hold the pass numbers."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="pass_log")

    class Meta(StatusLog.Meta):
        pass

    def __str__(self):
        return f"{self.council}: {self.from_status} → {self.to_status}"


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("role"), max_length=20, choices=CouncilRole.choices, default=CouncilRole.MEMBER)
    organization = models.CharField(_("organisation"), max_length=255, blank=True)
    is_jury = models.BooleanField(_("scores dossiers (jury)"), default=True)
    groups = models.ManyToManyField(ProductGroup, verbose_name=_("product groups scored"), blank=True)
    nominations = models.ManyToManyField(
        Nomination, verbose_name=_("dossiers assigned"), blank=True, related_name="assigned_members"
    )
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="unique_council_seat")]

    def __str__(self):
        return f"{self.user.full_name} ({self.get_role_display()})"


class Conflict(models.Model):
    """A conflict of interest: the member never sees or scores the dossier, and the aggregate leaves it out."""

    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="conflicts")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=20, choices=ConflictReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["member", "nomination"], name="unique_conflict")]

    def __str__(self):
        return f"{self.member} · {self.nomination}"


class ScoreSheet(models.Model):
    """One member's sheet for one dossier in one scoring pass."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="score_sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="sheets")
    pass_no = models.PositiveSmallIntegerField(_("pass"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, default=Decimal("0"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["nomination", "member", "pass_no"], name="one_sheet_per_pass")]

    def __str__(self):
        return f"{self.nomination} · {self.member} · {self.pass_no}"


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        return f"{self.criterion.code}: {self.points}"


class SheetReopening(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="reopenings")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.sheet}: {self.at:%d/%m/%Y}"


class FieldVisit(models.Model):
    """A dossier short-listed by the first scoring pass (total at or above the council's cut) gets a field
    visit before the second pass; the visit records when, who went and what they found."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="field_visit")
    visited_on = models.DateField(_("visit date"), null=True, blank=True)
    members = models.ManyToManyField(CouncilMember, verbose_name=_("members who went"), blank=True, related_name="+")
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")

    def __str__(self):
        return f"{self.nomination}"


class Decision(models.Model):
    """The competent authority's numbered decision recognising the products the council proposed."""

    round = models.OneToOneField(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="decision")
    number = models.CharField(_("decision number"), max_length=100)
    date = models.DateField(_("decision date"))
    issuing_body = models.ForeignKey(
        "products.Organization", verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="+"
    )
    signer_title = models.CharField(_("signer's title"), max_length=255)
    signer_name = models.CharField(_("signer's name"), max_length=255)
    nominations = models.ManyToManyField(Nomination, verbose_name=_("recognised dossiers"), related_name="decisions")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords(m2m_fields=[nominations])

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"
