"""The producer's next steps, as its home page shows them above everything else: add a first product; correct a
dossier returned by the department by its deadline; finish a draft before the registration closes; nominate a
product in a round open to it before the deadline; last, the dossiers sent and in the department's hands (what
happens next, and where to follow them). The most urgent first; nothing when nothing waits.

A handful of queries whatever the producer has: its products are counted, its open nominations read in one query
with their rounds, the open rounds once, and the checklist items named by the corrections in one more."""

import dataclasses
import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..dossier import DECLARATION, DOC, ELIGIBILITY, FIELD, PHOTOS, DossierPart
from ..enums import NominationStatus
from ..models import CorrectionRequest, Nomination, RoundChecklistItem
from .nominations import round_covers, rounds_open_to_public

# Kinds of step, also the CSS modifier of each (templates/awards/components/next_steps.html).
ADD_PRODUCT = "add_product"
CORRECT = "correct"
FINISH_DRAFT = "finish_draft"
NOMINATE = "nominate"
WAITING = "waiting"
IN_PROGRESS = (
    NominationStatus.SUBMITTED,
    NominationStatus.IN_SCREENING,
    NominationStatus.RESUBMITTED,
    NominationStatus.ACCEPTED,
    NominationStatus.SCORED,
)
MAX_WAITING = 3  # the rest are on the producer's list of nominations


@dataclasses.dataclass(frozen=True)
class NextStep:
    kind: str
    title: str
    url: str
    action: str
    deadline: datetime.date | None = None
    details: tuple[str, ...] = ()
    message: str = ""


def producer_next_steps(producer, today=None) -> list[NextStep]:
    today = today or timezone.localdate()
    if not producer.products.exists():
        return [
            NextStep(
                ADD_PRODUCT,
                _("Add your first product"),
                reverse("products:producer.product.create"),
                _("Add a product"),
                details=(_("A product with its photos and documents can then be nominated in an open round."),),
            )
        ]
    nominations = list(
        Nomination.objects.filter(
            producer=producer, status__in=(NominationStatus.DRAFT, NominationStatus.RETURNED, *IN_PROGRESS)
        ).select_related("round", "product")
    )
    open_rounds = [r for r in rounds_open_to_public(today) if round_covers(r, producer)]
    return [
        *_corrections(nominations),
        *_drafts(nominations, open_rounds),
        *_nominations_to_start(producer, open_rounds),
        *_waiting(nominations),
    ]


def _waiting(nominations) -> list[NextStep]:
    """Dossiers sent: nothing to do but follow them; said so, with the receipt code and what comes next."""
    sent = sorted(
        (n for n in nominations if n.status in IN_PROGRESS),
        key=lambda n: (n.submitted_at or timezone.now(), n.pk),
        reverse=True,
    )
    return [
        NextStep(
            WAITING,
            _("“%(product)s” (%(round)s): %(status)s")
            % {"product": n.product.name, "round": n.round.title, "status": n.producer_label},
            reverse("awards:producer.nomination.detail", args=[n.pk]),
            _("Follow the dossier"),
            details=(
                _(
                    "Receipt code %(code)s. Nothing to do for now: you will be notified here and by e-mail when the "
                    "department asks for a correction or publishes the result."
                )
                % {"code": n.receipt_code},
            ),
        )
        for n in sent[:MAX_WAITING]
    ]


def _corrections(nominations) -> list[NextStep]:
    returned = [n for n in nominations if n.status == NominationStatus.RETURNED]
    if not returned:
        return []
    requests = {
        c.nomination_id: c
        for c in CorrectionRequest.objects.open().filter(nomination__in=returned).order_by("created_at")
    }
    item_ids = {p.item_id for c in requests.values() for p in map(DossierPart.parse, c.items) if p and p.item_id}
    items = RoundChecklistItem.objects.filter(pk__in=item_ids).select_related("document_type")
    item_names = {item.pk: str(item.document_type) for item in items}
    steps = []
    for nomination in sorted(returned, key=lambda n: (n.correction_deadline or datetime.date.max, n.pk)):
        request = requests.get(nomination.pk)
        parts = [p for p in map(DossierPart.parse, request.items) if p] if request else []
        steps.append(
            NextStep(
                CORRECT,
                _("Correct the dossier of “%(product)s” (%(round)s)")
                % {"product": nomination.product.name, "round": nomination.round.title},
                reverse("awards:producer.nomination.detail", args=[nomination.pk]),
                _("Correct the dossier"),
                deadline=nomination.correction_deadline,
                details=tuple(_part_label(p, item_names) for p in parts),
                message=request.message if request else "",
            )
        )
    return steps


def _part_label(part: DossierPart, item_names: dict) -> str:
    if part.kind == FIELD:
        field = Nomination._meta.get_field(part.key) if part.key in Nomination.FORM_FIELDS else None
        return _("Form: %(field)s") % {"field": field.verbose_name if field else part.key}
    if part.kind == DOC:
        return _("Document: %(doc)s") % {"doc": item_names.get(part.item_id, part.key)}
    return {
        PHOTOS: _("Photos"),
        DECLARATION: _("Declaration of eligibility"),
        ELIGIBILITY: _("Eligibility"),
    }[part.kind]


def _drafts(nominations, open_rounds) -> list[NextStep]:
    deadlines = {r.pk: r.registration.ends_on for r in open_rounds}
    drafts = [n for n in nominations if n.status == NominationStatus.DRAFT and n.round_id in deadlines]
    return [
        NextStep(
            FINISH_DRAFT,
            _("Finish and send the dossier of “%(product)s” (%(round)s)")
            % {"product": n.product.name, "round": n.round.title},
            reverse("awards:producer.nomination.detail", args=[n.pk]),
            _("Continue the dossier"),
            deadline=deadlines[n.round_id],
        )
        for n in sorted(drafts, key=lambda n: (deadlines[n.round_id], n.pk))
    ]


def _nominations_to_start(producer, open_rounds) -> list[NextStep]:
    """A round open to the producer in which some of its products are not nominated yet."""
    if not open_rounds:
        return []
    nominated = set(
        Nomination.objects.filter(producer=producer, round__in=open_rounds).values_list("round_id", "product_id")
    )
    product_ids = list(producer.products.values_list("pk", flat=True))
    steps = []
    for round_ in open_rounds:
        waiting = [pk for pk in product_ids if (round_.pk, pk) not in nominated]
        if waiting:
            steps.append(
                NextStep(
                    NOMINATE,
                    _("Nominate a product in “%(round)s”") % {"round": round_.title},
                    f"{reverse('awards:producer.nomination.create')}?round={round_.pk}",
                    _("Start a nomination"),
                    deadline=round_.registration.ends_on,
                    details=(str(round_.level),),  # its closing date is the step's deadline
                )
            )
    return steps
