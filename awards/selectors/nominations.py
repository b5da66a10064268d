"""Reads of rounds and nominations: what staff, producers and the public see, and what a dossier still lacks."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.access import is_staff, scoped
from portal.core.formatting import vn_date

from ..dossier import DECLARATION_PART, ELIGIBILITY_PART, PHOTOS_PART, DossierPart
from ..enums import ACTIVE_STATES, AreaKind, NominationStatus, PhaseKind, RoundStatus
from ..models import (
    Nomination,
    Recognition,
    Round,
    RoundPhase,
)


def _with_details(qs: QuerySet[Round]) -> QuerySet[Round]:
    return qs.select_related("level", "organiser", "province", "local_unit", "region").prefetch_related(
        Prefetch("phases", queryset=RoundPhase.objects.order_by("starts_on"))
    )


def rounds_for_staff(user) -> QuerySet[Round]:
    qs = _with_details(Round.objects.all())
    # A province sees its own rounds and the region/national rounds its producers may be sent to (awards.access).
    return scoped(qs, user) if is_staff(user) else qs.none()


def round_covers(round_, producer) -> bool:
    """Whether a producer may take part in a round: it lies in the round's commune, district, province or
    region (a national round takes everyone)."""
    area = round_.level.area_kind
    if area == AreaKind.NATIONAL:
        return True
    if area == AreaKind.REGION:
        return round_.region.provinces.filter(pk=producer.current_province_id).exists()
    if area in (AreaKind.COMMUNE, AreaKind.DISTRICT):
        return producer.unit_id == round_.local_unit_id
    return producer.current_province_id == round_.province_id


def rounds_open_to_public(today=None) -> QuerySet[Round]:
    """Published rounds whose registration has not closed yet, soonest deadline first."""
    today = today or timezone.localdate()
    registration_ends = RoundPhase.objects.filter(round=OuterRef("pk"), kind=PhaseKind.REGISTRATION).values("ends_on")
    return (
        _with_details(Round.objects.filter(status=RoundStatus.PUBLISHED))
        .annotate(registration_ends=Subquery(registration_ends))
        .filter(registration_ends__gte=today)
        .order_by("registration_ends", "title")
    )


# -- nominations ----------------------------------------------------------------------------------------------
def group_rule(nomination):
    rule = next((r for r in nomination.round.group_rules.all() if r.group_id == nomination.product.group_id), None)
    return rule


def nomination_checklist(nomination, today=None) -> list[dict]:
    """The round's checklist for this product's group, each item with its attached document and state:
    'ok', 'missing' (required, nothing attached), 'optional' (nothing attached) or 'expired'."""
    today = today or timezone.localdate()
    attached = {nd.item_id: nd.document for nd in nomination.documents.select_related("document__doc_type")}
    rows = []
    for item in nomination.round.checklist.select_related("document_type", "group"):
        if item.group_id not in (None, nomination.product.group_id):
            continue
        document = attached.get(item.pk)
        if document is None:
            state = "missing" if item.required else "optional"
        elif document.is_expired(today):
            state = "expired"
        else:
            state = "ok"
        rows.append({"item": item, "document": document, "state": state})
    return rows


def valid_lower_recognition(product, level, today=None):
    """A recognition of the product at a level whose next level is `level`, with a certificate still valid."""
    today = today or timezone.localdate()
    return (
        Recognition.objects.filter(product=product, level__next_level=level)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("level")
        .order_by("-year")
        .first()
    )


def nomination_problems(nomination, today=None) -> list[tuple[str, str]]:
    """Everything that stops the dossier from being submitted, as (code, message) pairs: the phase or the
    correction deadline, the registration form, the checklist's documents, photos and declaration, the lower
    level's certificate and the province's quota."""
    today = today or timezone.localdate()
    rule = group_rule(nomination)
    return [
        *_timing_problems(nomination, today),
        *_form_problems(nomination),
        *_document_problems(nomination, today),
        *_photo_and_declaration_problems(nomination, rule),
        *_eligibility_problems(nomination, rule, today),
        *_quota_problems(nomination),
    ]


def _timing_problems(nomination, today) -> list[tuple[str, str]]:
    if nomination.status == NominationStatus.DRAFT:
        if not nomination.round.is_open_for_registration(today):
            return [("phase", _("The round is not taking registrations now."))]
    elif (
        nomination.status == NominationStatus.RETURNED
        and nomination.correction_deadline
        and today > nomination.correction_deadline
    ):
        message = _("The deadline for corrections (%(date)s) has passed.") % {
            "date": vn_date(nomination.correction_deadline)
        }
        return [("deadline", message)]
    return []


def _form_problems(nomination) -> list[tuple[str, str]]:
    labels = {f.name: f.verbose_name for f in Nomination._meta.fields}
    return [
        (str(DossierPart.form_field(field)), _("Registration form: “%(field)s” is empty.") % {"field": labels[field]})
        for field in Nomination.REQUIRED_FORM_FIELDS
        if getattr(nomination, field) in (None, "")
    ]


def _document_problems(nomination, today) -> list[tuple[str, str]]:
    problems = []
    for row in nomination_checklist(nomination, today):
        item = row["item"]
        if row["state"] == "missing":
            message = _("Missing document: %(doc)s.") % {"doc": item.document_type}
        elif row["state"] == "expired":
            message = _("Expired document: %(doc)s (expired on %(date)s).") % {
                "doc": item.document_type,
                "date": vn_date(row["document"].expiry_date),
            }
        else:
            continue
        problems.append((str(DossierPart.document(item.pk)), message))
    return problems


def _photo_and_declaration_problems(nomination, rule) -> list[tuple[str, str]]:
    problems = []
    min_photos = rule.min_photos if rule else 3
    count = nomination.photos.count()
    if count < min_photos:
        message = _("Photos: %(count)d chosen, at least %(min)d needed.") % {"count": count, "min": min_photos}
        problems.append((str(PHOTOS_PART), message))
    if not nomination.declaration_accepted:
        problems.append((str(DECLARATION_PART), _("The declaration of eligibility has not been accepted.")))
    return problems


def _eligibility_problems(nomination, rule, today) -> list[tuple[str, str]]:
    if not (rule and rule.requires_lower_certificate):
        return []
    if valid_lower_recognition(nomination.product, nomination.round.level, today) is not None:
        return []
    message = _("The product has no recognition of the level below with a certificate that is still valid.")
    return [(str(ELIGIBILITY_PART), message)]


def _quota_problems(nomination) -> list[tuple[str, str]]:
    round_ = nomination.round
    if not round_.quota_per_province or nomination.status != NominationStatus.DRAFT:
        return []
    taken = (
        Nomination.objects.filter(
            round=round_,
            status__in=ACTIVE_STATES,
            producer__current_province_id=nomination.producer.current_province_id,
        )
        .exclude(pk=nomination.pk)
        .count()
    )
    if taken < round_.quota_per_province:
        return []
    message = _("The province has already sent the maximum of %(n)d nominations to this round.") % {
        "n": round_.quota_per_province
    }
    return [("quota", message)]


SCORABLE_STATES = [
    NominationStatus.ACCEPTED,
    NominationStatus.SCORED,
    NominationStatus.RECOGNISED,
    NominationStatus.NOT_RECOGNISED,
    NominationStatus.NOT_SCORED,
]


def dossier_gaps(nomination, today=None) -> list[tuple[str, str]]:
    """The problems that concern the dossier itself (not the calendar or the quota)."""
    return [p for p in nomination_problems(nomination, today) if DossierPart.parse(p[0]) is not None]


def nomination_parts(nomination) -> list[DossierPart]:
    """Every part of a dossier that staff can ask the producer to correct, labelled."""
    labels = {f.name: f.verbose_name for f in Nomination._meta.fields}
    parts = [
        DossierPart.form_field(name, _("Form: %(field)s") % {"field": labels[name]}) for name in Nomination.FORM_FIELDS
    ]
    parts += [
        DossierPart.document(row["item"].pk, _("Document: %(doc)s") % {"doc": row["item"].document_type})
        for row in nomination_checklist(nomination)
    ]
    parts += [PHOTOS_PART.with_label(_("Photos")), DECLARATION_PART.with_label(_("Declaration of eligibility"))]
    return parts


def round_parts(round_) -> list[DossierPart]:
    """The parts staff may ask for when returning several dossiers of a round at once: the form's fields, every
    checklist item of the round (a group's own items named with the group), photos and the declaration."""
    labels = {f.name: f.verbose_name for f in Nomination._meta.fields}
    parts = [
        DossierPart.form_field(name, _("Form: %(field)s") % {"field": labels[name]}) for name in Nomination.FORM_FIELDS
    ]
    for item in round_.checklist.select_related("document_type", "group"):
        label = _("Document: %(doc)s") % {"doc": item.document_type}
        if item.group_id:
            label = f"{label} ({item.group.name})"
        parts.append(DossierPart.document(item.pk, label))
    parts += [PHOTOS_PART.with_label(_("Photos")), DECLARATION_PART.with_label(_("Declaration of eligibility"))]
    return parts


def parts_for(nomination, parts: list[DossierPart], item_groups: dict[int, int | None]) -> list[DossierPart]:
    """Of the parts chosen for several dossiers, those that exist on this one: a checklist item of another product
    group is left out. `item_groups` maps the round's checklist items to their group (None: every group)."""
    return [
        part
        for part in parts
        if part.item_id is None or item_groups.get(part.item_id, -1) in (None, nomination.product.group_id)
    ]


def labelled_parts(items, parts: list[DossierPart]) -> list[DossierPart]:
    """The parts stored strings name (a correction request's items), in their order, with the labels of `parts`;
    a part no longer on the dossier (a checklist item removed since) is shown as its stored string."""
    labels = {part: part.label for part in parts}
    named = (DossierPart.parse(text) for text in items)
    return [part.with_label(labels.get(part) or str(part)) for part in named if part is not None]


def nominations_for_staff(user):
    """Nominations a staff member may see: of its province's producers, or in rounds it manages."""
    qs = Nomination.objects.select_related("round__level", "product__group", "producer__current_province")
    return scoped(qs, user) if is_staff(user) else qs.none()
