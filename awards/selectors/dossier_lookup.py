"""The public lookup of a dossier by its receipt code and the producer's tax code (as the national public-service
portal looks a file up by its code): only what the producer itself is told — the product, the round, the status
label producers see and the dates of its steps. Never staff notes, scores, the council or documents.

Three queries whatever the dossier's history: the dossier, its status log, its correction requests."""

import dataclasses
import datetime
import unicodedata

from django.utils import timezone

from products.tax_codes import normalise_tax_code

from ..enums import PRODUCER_LABELS, NominationStatus
from ..models import Nomination

_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "_": "-"})


@dataclasses.dataclass(frozen=True)
class DossierStep:
    label: str
    on: datetime.date
    deadline: datetime.date | None = None


@dataclasses.dataclass(frozen=True)
class DossierStatus:
    receipt_code: str
    product_name: str
    round_title: str
    status_label: str
    steps: list[DossierStep]
    correction_deadline: datetime.date | None


def normalise_receipt_code(value: str) -> str:
    """ "cb 2026 t 0001", "CB–2026–T–0001" -> "CB-2026-T-0001": spaces dropped, any dash an ordinary hyphen."""
    text = unicodedata.normalize("NFC", value or "").translate(_DASHES).upper()
    return "-".join(part for part in text.replace(" ", "-").split("-") if part)


def dossier_status(*, receipt_code: str, tax_code: str) -> DossierStatus | None:
    """The dossier with this receipt code whose producer has this tax code; None for any mismatch, so a caller
    cannot tell an unknown code from a wrong tax code."""
    code, tax = normalise_receipt_code(receipt_code), normalise_tax_code(tax_code)
    if not code or not tax:
        return None
    nomination = (
        Nomination.objects.select_related("product", "round")
        .filter(receipt_code=code, producer__tax_code=tax)
        .exclude(status=NominationStatus.DRAFT)
        .first()
    )
    if nomination is None:
        return None
    return DossierStatus(
        receipt_code=nomination.receipt_code,
        product_name=nomination.product.name,
        round_title=nomination.round.title,
        status_label=str(nomination.producer_label),
        steps=_steps(nomination),
        correction_deadline=(
            nomination.correction_deadline if nomination.status == NominationStatus.RETURNED else None
        ),
    )


def _steps(nomination: Nomination) -> list[DossierStep]:
    """One step per change of state, dated, with the correction deadline on each return (the n-th return is
    answered by the n-th correction request)."""
    deadlines = list(nomination.corrections.order_by("created_at", "id").values_list("deadline", flat=True))
    steps = []
    for to_status, at in nomination.status_log.order_by("at", "id").values_list("to_status", "at"):
        deadline = None
        if to_status == NominationStatus.RETURNED and deadlines:
            deadline = deadlines.pop(0)
        label = PRODUCER_LABELS[NominationStatus(to_status)]
        steps.append(DossierStep(label=str(label), on=timezone.localdate(at), deadline=deadline))
    return steps
