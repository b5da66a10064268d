"""How long a recognition's certificate is valid: one rule, applied once, when the recognition is created.

Thông tư 14/2018/TT-BCT: the certificate is valid until 31 December of the n-th year counting the year of the
recognition decision as the first (n = 4: a decision of 2024 → 31/12/2027). The certificate is issued together
with the decision, so the validity belongs to the recognition: printing a certificate later (archive records),
re-issuing a lost one or correcting a typo copies the recognition's date and never changes it.

n is `Level.certificate_years` where a level sets it, else `Programme.certificate_years`. When the decision's date
is unknown (archive records), the recognition's year stands for the decision's year.

The repair below takes the model classes as arguments, so that the data migration (historical models) and the
`certificate_validity` command (the real ones) run the same code."""

import datetime
from dataclasses import dataclass, field


def validity_years(level) -> int:
    return level.certificate_years or level.programme.certificate_years


def recognition_valid_until(level, *, year: int, decision_date: datetime.date | None) -> datetime.date:
    """31 December of the n-th year counting the decision's year (or the recognition's year) as the first."""
    first_year = decision_date.year if decision_date else year
    return datetime.date(first_year + validity_years(level) - 1, 12, 31)


@dataclass
class ValidityRepair:
    """One recognition whose stored validity (or whose certificates') differs from the rule."""

    recognition_id: int
    label: str
    stored: datetime.date | None
    rule: datetime.date
    certificates: list[tuple[int, str, datetime.date]] = field(default_factory=list)

    def describe(self) -> str:
        def d(day):
            return day.strftime("%d/%m/%Y") if day else "—"

        change = f"{d(self.stored)} → {d(self.rule)}" if self.stored != self.rule else f"{d(self.rule)}, unchanged"
        parts = [f"recognition {self.recognition_id} ({self.label}): {change}"]
        parts += [f"certificate {number}: {d(stored)} → {d(self.rule)}" for _, number, stored in self.certificates]
        return "; ".join(parts)


def _label(recognition) -> str:
    decision = recognition.decision_number or "—"
    if recognition.decision_date:
        decision += f" {recognition.decision_date:%d/%m/%Y}"
    return f"{recognition.product.name} · {recognition.level.name} {recognition.year} · {decision}"


def validity_repairs(recognition_model, certificate_model, *, apply: bool) -> list[ValidityRepair]:
    """Every recognition whose `valid_until` differs from the rule, or one of whose certificates differs from
    it, with what changes. `apply=True` writes the rule's date to both; otherwise nothing is written."""
    repairs: dict[int, ValidityRepair] = {}
    rule_of: dict[int, datetime.date] = {}
    recognitions = recognition_model.objects.select_related("level__programme", "product").order_by("pk")
    for recognition in recognitions.iterator(chunk_size=2000):
        rule = recognition_valid_until(
            recognition.level, year=recognition.year, decision_date=recognition.decision_date
        )
        rule_of[recognition.pk] = rule
        if recognition.valid_until != rule:
            repairs[recognition.pk] = ValidityRepair(recognition.pk, _label(recognition), recognition.valid_until, rule)
    certificates = certificate_model.objects.order_by("recognition_id", "year", "serial", "pk")
    for pk, recognition_id, number, year, stored in certificates.values_list(
        "pk", "recognition_id", "number", "year", "valid_until"
    ).iterator(chunk_size=2000):
        rule = rule_of[recognition_id]
        if stored == rule:
            continue
        if recognition_id not in repairs:
            recognition = recognitions.get(pk=recognition_id)
            repairs[recognition_id] = ValidityRepair(recognition_id, _label(recognition), rule, rule)
        repairs[recognition_id].certificates.append((pk, f"{number} ({year})", stored))
    if apply:
        for repair in repairs.values():
            recognition_model.objects.filter(pk=repair.recognition_id).update(valid_until=repair.rule)
            certificate_ids = [pk for pk, _, _ in repair.certificates]
            certificate_model.objects.filter(pk__in=certificate_ids).update(valid_until=repair.rule)
    return list(repairs.values())
