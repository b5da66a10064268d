from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from portal.accounts.enums import Role
from products.enums import OrganizationKind

from .enums import AreaKind, PhaseKind, RoundStatus
from .models import Round, RoundPhase


def _with_details(qs: QuerySet[Round]) -> QuerySet[Round]:
    return qs.select_related("level", "organiser", "province", "local_unit", "region").prefetch_related(
        Prefetch("phases", queryset=RoundPhase.objects.order_by("starts_on"))
    )


def rounds_for_staff(user) -> QuerySet[Round]:
    qs = _with_details(Round.objects.all())
    if user.is_superuser:
        return qs
    org = user.organization if user.role == Role.STAFF else None
    if org is None:
        return qs.none()
    if org.kind == OrganizationKind.MINISTRY_AGENCY:
        return qs.filter(level__area_kind__in=[AreaKind.REGION, AreaKind.NATIONAL])
    # A province sees its own rounds and the region/national rounds its producers may be sent to.
    return qs.filter(
        Q(province_id=org.province_id) | Q(region__provinces=org.province_id) | Q(level__area_kind=AreaKind.NATIONAL)
    ).distinct()


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
