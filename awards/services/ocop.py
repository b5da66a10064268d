"""OCOP ratings: stars checked against the configurable bands, parts against the criteria set in force, the
validity (36 months by default), and reminders before a rating expires."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.core.formatting import vn_date
from portal.core.messaging.mail import queue_mail
from portal.core.messaging.models import NotificationKind
from portal.core.messaging.notify import notify
from portal.core.workflow import SYSTEM, acting_user
from products.access import can_manage_producer

from ..access import can_set_ocop_target
from ..enums import OCOP_SHARE_METRICS, OcopLevel, OcopTargetMetric
from ..models import OcopCriteriaSet, OcopRating, OcopStarBand, OcopTarget


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of the month when it does not exist), minus nothing: a rating
    decided on 15/3/2023 with 36 months is valid until 14/3/2026."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            end = datetime.date(year, month, candidate)
            break
        except ValueError:
            continue
    return end - datetime.timedelta(days=1)


def stars_for(score: Decimal) -> int:
    """The star band a score falls in (bands are data: OcopStarBand)."""
    bands = list(OcopStarBand.objects.order_by("-min_score"))
    for band in bands:
        if score >= band.min_score:
            return band.stars
    return bands[-1].stars if bands else 1


def criteria_set_for(day: datetime.date) -> OcopCriteriaSet:
    found = OcopCriteriaSet.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if found is None:
        raise ValidationError(_("No OCOP criteria set was in force on %(date)s.") % {"date": vn_date(day)})
    return found


def _decimal(value, field, errors):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        errors[field] = _("“%(value)s” is not a number.") % {"value": value}
        return None


def _number(value: Decimal) -> str:
    """72.50 -> '72,5' in Vietnamese ('72.5' in English): no trailing zeros, the language's decimal mark."""
    return number_format(Decimal(format(value.normalize(), "f")))


def _rating_errors(*, score: Decimal, parts: dict, stars: int, level: str, criteria_set: OcopCriteriaSet) -> dict:
    """What is wrong with a rating, by field: each part within its maximum under the criteria set, the parts
    adding up to the score, the stars matching the score's band, 5★ rated at national level."""
    errors = {}
    maxima = {"part_a": criteria_set.part_a_max, "part_b": criteria_set.part_b_max, "part_c": criteria_set.part_c_max}
    for name, value in parts.items():
        if value is not None and not (Decimal(0) <= value <= maxima[name]):
            errors[name] = _("Part %(part)s must be between 0 and %(max)s under %(set)s.") % {
                "part": name[-1].upper(),
                "max": _number(maxima[name]),
                "set": criteria_set.legal_basis,
            }
    given = [v for v in parts.values() if v is not None]
    if len(given) == 3 and sum(given) != score and not errors:
        errors["score"] = _("The parts add up to %(sum)s, not to the score %(score)s.") % {
            "sum": _number(sum(given)),
            "score": _number(score),
        }
    expected = stars_for(score)
    if stars != expected:
        errors["stars"] = _("A score of %(score)s gives %(expected)d★, not %(stars)d★.") % {
            "score": _number(score),
            "expected": expected,
            "stars": stars,
        }
    if stars == 5 and level != OcopLevel.NATIONAL:
        errors["level"] = _("5★ products are rated at national level.")
    return errors


@transaction.atomic
def ocop_rating_record(
    *,
    product,
    actor,
    stars: int,
    score,
    decision_number: str,
    decision_date: datetime.date,
    part_a=None,
    part_b=None,
    part_c=None,
    level: str | None = None,
    valid_until: datetime.date | None = None,
    criteria_set: OcopCriteriaSet | None = None,
    note: str = "",
) -> OcopRating:
    """Record a rating. The stars must match the band of the score; parts, when given, must each lie within
    the maximum of the criteria set in force on the decision date and add up to the score. A new rating never
    replaces an earlier one: the history stays (3★ in 2021, 4★ in 2024)."""
    author = acting_user(actor)
    if actor is not SYSTEM:
        allowed, reason = can_manage_producer(actor, product.producer)
        if not allowed or getattr(actor, "role", None) == "producer":
            raise PermissionDenied(reason)
    errors = {}
    score = _decimal(score, "score", errors)
    parts = {
        name: _decimal(value, name, errors)
        for name, value in (("part_a", part_a), ("part_b", part_b), ("part_c", part_c))
    }
    if errors:
        raise ValidationError(errors)
    if score is None or not (Decimal(0) <= score <= Decimal(100)):
        raise ValidationError({"score": _("The score must be between 0 and 100.")})
    criteria_set = criteria_set or criteria_set_for(decision_date)
    level = level or (OcopLevel.NATIONAL if int(stars) == 5 else OcopLevel.PROVINCE)
    errors = _rating_errors(score=score, parts=parts, stars=int(stars), level=level, criteria_set=criteria_set)
    if errors:
        raise ValidationError(errors)
    rating = OcopRating(
        product=product,
        criteria_set=criteria_set,
        stars=int(stars),
        score=score,
        level=level,
        decision_number=decision_number,
        decision_date=decision_date,
        valid_until=valid_until or add_months(decision_date, settings.OCOP_VALID_MONTHS),
        note=note,
        created_by=author,
        **parts,
    )
    rating.full_clean(exclude=["created_by"])  # None when the portal records it (SYSTEM)
    rating.save()
    return rating


def ocop_expiry_reminders_send(*, today=None, days: int = 90) -> int:
    """E-mail each producer whose current rating (its latest per product) expires within `days`, once per
    rating. The worker runs it daily (portal/scheduler.py). Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    ratings = (
        OcopRating.objects.filter(valid_until__gte=today, valid_until__lte=horizon, reminded_at__isnull=True)
        .select_related("product__producer")
        .order_by("product_id", "-decision_date")
    )
    sent = 0
    seen = set()
    for rating in ratings:
        if rating.product_id in seen:
            continue
        seen.add(rating.product_id)
        newer = OcopRating.objects.filter(product_id=rating.product_id, decision_date__gt=rating.decision_date)
        producer = rating.product.producer
        if newer.exists() or not producer.email:
            continue
        body = render_to_string("awards/email/ocop_expiry.txt", {"rating": rating, "producer": producer})
        subject = _("OCOP rating of %(product)s expires on %(date)s") % {
            "product": rating.product.name,
            "date": vn_date(rating.valid_until),
        }
        with transaction.atomic():  # the e-mail, the notifications and "reminded" together
            queue_mail(to=[producer.email], subject=subject, body=body)
            notify(
                producer.accounts.filter(is_active=True),
                kind=NotificationKind.REMINDER,
                text=subject,
                link=reverse("products:producer.product.detail", args=[rating.product_id]),
            )
            OcopRating.objects.filter(pk=rating.pk).update(reminded_at=timezone.now())
        sent += 1
    return sent


@transaction.atomic
def ocop_target_set(*, actor, province, year: int, metric: str, value, note: str = "") -> OcopTarget:
    """Set (add or change) one target of a province for a year: a number of products for the star metrics, a
    percentage for the shares of cooperatives and SMEs. Only today's provinces have targets."""
    allowed, reason = can_set_ocop_target(actor, province)
    if not allowed:
        raise PermissionDenied(reason)
    errors = {}
    if province.level != "province" or not province.is_current:
        errors["province"] = _("Targets are set for today's provinces.")
    if metric not in OcopTargetMetric.values:
        errors["metric"] = _("Choose a target from the list.")
    if not (2000 <= int(year) <= 2100):
        errors["year"] = _("Give a year between 2000 and 2100.")
    value = _decimal(value, "value", errors)
    if value is None and "value" not in errors:
        errors["value"] = _("Give the target value.")
    elif value is not None:
        if value < 0:
            errors["value"] = _("The target cannot be negative.")
        elif metric in OCOP_SHARE_METRICS and value > 100:
            errors["value"] = _("A share is at most 100 %.")
        elif metric not in OCOP_SHARE_METRICS and value != value.to_integral_value():
            errors["value"] = _("A number of products is a whole number.")
    if errors:
        raise ValidationError(errors)
    target, _created = OcopTarget.objects.update_or_create(
        province=province, year=int(year), metric=metric, defaults={"value": value, "note": note}
    )
    return target
