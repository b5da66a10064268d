"""How a department numbers its khuyến công projects: a pattern it edits itself (data, not code), and a counter
per department and plan year that hands out the sequence numbers one at a time."""

import string

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from products.models import Organization

DEFAULT_PATTERN = "KC-{year}-{seq:03d}"
PLACEHOLDERS = {"year", "seq"}


def render_code(pattern: str, *, year: int, seq: int) -> str:
    return pattern.format(year=year, seq=seq)


def validate_pattern(pattern: str) -> None:
    """Only {year} and {seq} (with an optional width such as {seq:03d}); {seq} is required."""
    unreadable = ValidationError(_("The pattern cannot be read: check the braces { }."))
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise unreadable from exc
    if not names <= PLACEHOLDERS:
        raise ValidationError(
            _("Unknown placeholder %(names)s: use {year} and {seq}.")
            % {"names": ", ".join(sorted(f"{{{n}}}" for n in names - PLACEHOLDERS))}
        )
    if "seq" not in names:
        raise ValidationError(_("The pattern needs {seq}, the project's number in the year."))
    try:
        sample = render_code(pattern, year=2026, seq=1)
    except (ValueError, IndexError, KeyError) as exc:
        raise unreadable from exc
    if len(sample) > 40:
        raise ValidationError(_("The codes would be too long (at most 40 characters)."))


class ProjectCodeRule(models.Model):
    """The pattern of one department's project codes, e.g. KC-{year}-{seq:03d} → KC-2026-007."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    pattern = models.CharField(
        _("project code pattern"),
        max_length=60,
        default=DEFAULT_PATTERN,
        validators=[validate_pattern],
        help_text=_("{year}: the plan year; {seq}: the project's number in that year, {seq:03d} with three digits."),
    )

    class Meta:
        verbose_name = _("project code rule")
        verbose_name_plural = _("project code rules")

    def __str__(self):
        return f"{self.organization} · {self.pattern}"


class ProjectCodeCounter(models.Model):
    """The last sequence number a department gave in a plan year (locked while a code is handed out)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="one_code_counter_per_year")]

    def __str__(self):
        return f"{self.organization} · {self.year}: {self.last}"
