"""Writes to nominations. Every status change goes through nomination_transition()."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.access import is_staff
from portal.core.messaging.mail import Mail, queue_mails
from portal.core.messaging.notify import notify_many
from portal.core.workflow import SYSTEM, Change, Requirement, Workflow, transition
from products.models import Document, Product, ProductPhoto
from products.selectors import documents_on_file

from ..dossier import DECLARATION_PART, PHOTOS_PART, DossierPart, parts_of
from ..enums import (
    EDITABLE_BY_PRODUCER,
    NOMINATION_TRANSITIONS,
    PRODUCER,
    STAFF,
    NominationStatus,
)
from ..enums import SYSTEM as SYSTEM_ROLE
from ..models import (
    CorrectionRequest,
    Nomination,
    NominationDocument,
    NominationPhoto,
    NominationStatusLog,
    NominationVersion,
    ReceiptSequence,
    Round,
    RoundChecklistItem,
)
from ..selectors import dossier_gaps, nomination_problems, round_covers
from .alerts import producer_status_notice, submission_alert


class NominationError(ValidationError):
    """A refusal with the list of reasons, shown to the user as they are."""


def _refresh_missing(nomination: Nomination) -> None:
    """Keep the count of dossier gaps on the row, so the screening queue can filter on it."""
    count = len(dossier_gaps(nomination))
    Nomination.objects.filter(pk=nomination.pk).update(missing_count=count, updated_at=timezone.now())
    nomination.missing_count = count


def actor_role(user) -> str:
    return STAFF if is_staff(user) else PRODUCER


def _check_editable(nomination: Nomination, user, part: DossierPart) -> None:
    """A draft is editable as a whole; a returned dossier only in the parts the department asked for."""
    if nomination.status not in EDITABLE_BY_PRODUCER:
        raise NominationError(
            _("This dossier can no longer be changed (it is “%(status)s”).")
            % {"status": nomination.get_status_display()}
        )
    if nomination.status == NominationStatus.RETURNED:
        correction = nomination.open_correction()
        if correction is None or part not in parts_of(correction.items):
            raise NominationError(_("The department did not ask for a correction of this part."))


@transaction.atomic
def nomination_create(*, round_: Round, product: Product, actor) -> Nomination:
    if Nomination.objects.filter(round=round_, product=product).exists():
        raise NominationError(_("“%(product)s” is already nominated in this round.") % {"product": product})
    if not round_.is_open_for_registration():
        raise NominationError(_("The round “%(round)s” is not taking registrations now.") % {"round": round_})
    role = actor_role(actor)
    if role == PRODUCER and actor.producer_id != product.producer_id:
        raise PermissionDenied
    if not round_covers(round_, product.producer):
        raise NominationError(
            _("“%(producer)s” is outside the area of the round “%(round)s” (%(area)s).")
            % {"producer": product.producer, "round": round_, "area": round_.area_label}
        )
    # Liên thông: a product going up from a lower level starts from its last dossier's form.
    previous = (
        Nomination.objects.filter(product=product)
        .exclude(status=NominationStatus.DRAFT)
        .order_by("-submitted_at")
        .first()
    )
    carried = {f: getattr(previous, f) for f in Nomination.FORM_FIELDS} if previous else {}
    nomination = Nomination.objects.create(
        round=round_,
        product=product,
        producer=product.producer,
        created_by=actor,
        entered_by_staff=role == STAFF,
        **{"workers": product.producer.workers, **carried},
    )
    # Start from what is already on file: the product's photos and its producer's valid documents.
    rule = next((r for r in round_.group_rules.all() if r.group_id == product.group_id), None)
    photos = list(product.photos.order_by("uploaded_at")[: max(rule.min_photos if rule else 3, 3)])
    NominationPhoto.objects.bulk_create(NominationPhoto(nomination=nomination, photo=p) for p in photos)
    today = timezone.localdate()
    items = round_.checklist.filter(Q(group__isnull=True) | Q(group=product.group_id)).select_related("document_type")
    for item in items:
        document = (
            documents_on_file(producer=product.producer, product=product, doc_type=item.document_type, on=today)
            .order_by(F("product_id").asc(nulls_last=True), "-issue_date", "-id")
            .first()
        )
        if document is not None:
            NominationDocument.objects.create(nomination=nomination, item=item, document=document)
    _refresh_missing(nomination)
    return nomination


@transaction.atomic
def nomination_update_form(*, nomination: Nomination, actor, **fields) -> Nomination:
    changed = []
    for field, value in fields.items():
        if field not in (*Nomination.FORM_FIELDS, "declaration_accepted"):
            raise TypeError(f"nomination_update_form() got an unexpected field {field!r}")
        part = DECLARATION_PART if field == "declaration_accepted" else DossierPart.form_field(field)
        if getattr(nomination, field) != value:
            _check_editable(nomination, actor, part)
            setattr(nomination, field, value)
            changed.append(field)
    if changed:
        nomination.full_clean()
        nomination.save(update_fields=[*changed, "updated_at"])
        _refresh_missing(nomination)
    return nomination


@transaction.atomic
def nomination_attach_document(
    *, nomination: Nomination, item: RoundChecklistItem, document: Document | None, actor
) -> None:
    """Attach a document on file to a checklist item (None detaches it)."""
    _check_editable(nomination, actor, DossierPart.document(item.pk))
    if item.round_id != nomination.round_id:
        raise NominationError(_("This checklist item belongs to another round."))
    if document is None:
        NominationDocument.objects.filter(nomination=nomination, item=item).delete()
        _refresh_missing(nomination)
        return
    if document.producer_id != nomination.producer_id or document.product_id not in (None, nomination.product_id):
        raise NominationError(_("This document belongs to another producer or product."))
    if document.doc_type_id != item.document_type_id:
        raise NominationError(
            _("This document is a “%(got)s”, the item needs a “%(want)s”.")
            % {"got": document.doc_type, "want": item.document_type}
        )
    NominationDocument.objects.update_or_create(nomination=nomination, item=item, defaults={"document": document})
    _refresh_missing(nomination)


@transaction.atomic
def nomination_set_photos(*, nomination: Nomination, photos: list[ProductPhoto], actor) -> None:
    _check_editable(nomination, actor, PHOTOS_PART)
    if any(p.product_id != nomination.product_id for p in photos):
        raise NominationError(_("Choose photos of the nominated product."))
    nomination.photos.exclude(photo__in=photos).delete()
    existing = set(nomination.photos.values_list("photo_id", flat=True))
    NominationPhoto.objects.bulk_create(
        NominationPhoto(nomination=nomination, photo=p) for p in photos if p.pk not in existing
    )
    _refresh_missing(nomination)


def _next_receipt_code(nomination: Nomination) -> str:
    """CB-2026-T-0042: province, year, level, sequence. The UPDATE locks the counter row until commit, so
    concurrent submissions get distinct, gapless numbers."""
    province = nomination.producer.current_province
    key = f"{province.short_code or province.code}-{nomination.round.year}-{nomination.round.level.receipt_letter}"
    ReceiptSequence.objects.get_or_create(key=key)
    ReceiptSequence.objects.filter(key=key).update(last=F("last") + 1)
    number = ReceiptSequence.objects.values_list("last", flat=True).get(key=key)
    return f"{key}-{number:04d}"


def _snapshot(nomination: Nomination) -> dict:
    return {
        "status": nomination.status,
        "form": {f: getattr(nomination, f) for f in Nomination.FORM_FIELDS},
        "declaration_accepted": nomination.declaration_accepted,
        "documents": [
            {
                "item": nd.item_id,
                "type": str(nd.document.doc_type),
                "document": nd.document_id,
                "number": nd.document.number,
                "file": nd.document.original_name,
                "expiry": nd.document.expiry_date.isoformat() if nd.document.expiry_date else None,
            }
            for nd in nomination.documents.select_related("document__doc_type")
        ],
        "photos": sorted(nomination.photos.values_list("photo_id", flat=True)),
    }


@transaction.atomic
def nomination_submit(*, nomination: Nomination, actor) -> Nomination:
    """Send the dossier (or its corrections). Refused with every missing item listed."""
    nomination = (
        Nomination.objects.select_for_update()
        .select_related("round__level", "producer__current_province", "product")
        .get(pk=nomination.pk)
    )
    if nomination.status not in EDITABLE_BY_PRODUCER:
        raise NominationError(_("This dossier has already been sent."))
    problems = nomination_problems(nomination)
    if problems:
        raise NominationError([message for _code, message in problems])
    to = NominationStatus.SUBMITTED if nomination.status == NominationStatus.DRAFT else NominationStatus.RESUBMITTED
    if nomination.receipt_code is None:
        nomination.receipt_code = _next_receipt_code(nomination)
        nomination.submitted_at = timezone.now()
        nomination.save(update_fields=["receipt_code", "submitted_at"])
    if to == NominationStatus.RESUBMITTED:
        nomination.corrections.open().update(resolved_at=timezone.now())
    nomination_transition(nomination=nomination, to=to, actor=actor)
    submission_alert(nomination)
    nomination.version += 1  # the row is locked (select_for_update above)
    nomination.save(update_fields=["version"])
    NominationVersion.objects.create(
        nomination=nomination, number=nomination.version, snapshot=_snapshot(nomination), created_by=actor
    )
    return nomination


def _staff(actor, nomination) -> bool:
    return actor_role(actor) == STAFF


def _producer(actor, nomination) -> bool:
    return actor_role(actor) == PRODUCER


WHO = {STAFF: _staff, PRODUCER: _producer, SYSTEM_ROLE: SYSTEM}


def _notify(change: Change) -> None:
    _notify_producers({change.obj.pk: change.note})


def _notify_many(changes: list[Change]) -> None:
    _notify_producers({change.obj.pk: change.note for change in changes})


NOMINATION_WORKFLOW = Workflow(
    model=Nomination,
    moves={move: {WHO[role] for role in roles} for move, roles in NOMINATION_TRANSITIONS.items()},
    refusal=gettext_lazy("A dossier cannot go from “%(from)s” to “%(to)s”."),
    log_model=NominationStatusLog,
    requirements={
        NominationStatus.RETURNED: Requirement(fields=("correction_deadline",)),
        NominationStatus.REJECTED: Requirement(fields=("rejection_reason",)),
    },
    error=NominationError,
    touch=("updated_at",),
    notify=_notify,
    notify_many=_notify_many,
)


def nomination_transition(
    *, nomination: Nomination, to: str, actor, note: str = "", fields: dict | None = None, notify: bool = True
) -> Nomination:
    """The one function that changes a nomination's status (portal.core.workflow.transition with the table
    NOMINATION_TRANSITIONS); the producer is told (e-mail in the outbox, portal notification) in the same
    transaction, unless `notify` is False."""
    return transition(
        nomination, to, workflow=NOMINATION_WORKFLOW, actor=actor, note=note, fields=fields, notify=notify
    )


def _notify_producers(notes: dict[int, str]) -> None:
    """Tell each dossier's producer of its new status — an e-mail (its accounts and its own address) and a
    notification to each account — in a fixed number of queries whatever the number of dossiers."""
    accounts = Prefetch(
        "producer__accounts", queryset=get_user_model().objects.filter(is_active=True), to_attr="active_accounts"
    )
    nominations = Nomination.objects.filter(pk__in=notes).select_related("producer", "round", "product")
    mails, notices = [], []
    for nomination in nominations.prefetch_related(accounts).order_by("pk"):
        returned = nomination.status == NominationStatus.RETURNED
        body = render_to_string(
            "awards/email/status.txt",
            {
                "nomination": nomination,
                "note": notes[nomination.pk],
                "correction": nomination.corrections.first() if returned else None,
            },
        )
        subject = _("Dossier %(code)s: %(status)s") % {
            "code": nomination.receipt_code or nomination.product,
            "status": nomination.producer_label,
        }
        producer = nomination.producer
        mails.append(Mail([a.email for a in producer.active_accounts] + [producer.email], subject, body))
        notices.append(producer_status_notice(nomination, producer.active_accounts))
    queue_mails(mails)
    notify_many(notices)


def nomination_start_screening(*, nomination: Nomination, actor) -> Nomination:
    return nomination_transition(nomination=nomination, to=NominationStatus.IN_SCREENING, actor=actor)


def nomination_accept(*, nomination: Nomination, actor, note: str = "") -> Nomination:
    return nomination_transition(nomination=nomination, to=NominationStatus.ACCEPTED, actor=actor, note=note)


def nomination_reject(*, nomination: Nomination, actor, reason: str) -> Nomination:
    if not reason.strip():
        raise NominationError(_("Give the reason for rejecting the dossier."))
    return nomination_transition(
        nomination=nomination,
        to=NominationStatus.REJECTED,
        actor=actor,
        note=reason,
        fields={"rejection_reason": reason},
    )


@transaction.atomic
def correction_request(
    *, nomination: Nomination, actor, items: list[DossierPart | str], message: str, deadline
) -> CorrectionRequest:
    """Return the dossier for correction: exactly which parts, why, and by when."""
    if not items:
        raise NominationError(_("Choose at least one part the producer must correct."))
    if not message.strip():
        raise NominationError(_("Write a message telling the producer what to correct."))
    if deadline < timezone.localdate():
        raise NominationError(_("The deadline is in the past."))
    nomination_transition(
        nomination=nomination,
        to=NominationStatus.RETURNED,
        actor=actor,
        note=message,
        fields={"correction_deadline": deadline},
        notify=False,
    )
    correction = CorrectionRequest.objects.create(
        nomination=nomination, items=[str(item) for item in items], message=message, deadline=deadline, created_by=actor
    )
    _notify_producers({nomination.pk: message})  # after the request exists: the e-mail lists what to correct
    return correction
