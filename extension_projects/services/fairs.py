"""Trade fairs and producers' participation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..access import can_manage_province
from ..models import Fair, FairParticipation

FAIR_FIELDS = {"name", "starts_on", "ends_on", "place", "organiser", "level", "booths", "province"}


@transaction.atomic
def fair_create(*, actor, **data) -> Fair:
    unknown = set(data) - FAIR_FIELDS
    if unknown:
        raise TypeError(f"unknown fair fields: {sorted(unknown)}")
    fair = Fair(**data)
    fair.current_province_id = fair.province.today_province_id
    allowed, reason = can_manage_province(actor, fair.current_province_id)
    if not allowed:
        raise PermissionDenied(reason)
    fair.full_clean(exclude=["current_province"])
    fair.save()
    return fair


@transaction.atomic
def participation_record(*, fair: Fair, producer, actor, products=(), **data) -> FairParticipation:
    """Record (or update) a producer's participation: booths, support and the project it came from, sales."""
    allowed, reason = can_manage_province(actor, fair.current_province_id)
    if not allowed:
        raise PermissionDenied(reason)
    products = list(products)
    if any(p.producer_id != producer.pk for p in products):
        raise ValidationError({"products": _("Only the producer's own products can be shown at its booth.")})
    project = data.get("project")
    if project is not None and project.current_province_id != fair.current_province_id:
        raise ValidationError({"project": _("The supporting project belongs to another province.")})
    participation, _created = FairParticipation.objects.update_or_create(fair=fair, producer=producer, defaults=data)
    participation.full_clean()
    participation.products.set(products)
    return participation
