"""Issuing, revoking and re-issuing certificates. Numbers come from a per-body yearly sequence row locked for
the length of the issuing transaction: two officers issuing at once get consecutive numbers, and a rolled-back
issue gives its number back, so numbers never repeat and never skip."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.formatting import title_text, vn_date
from portal.core.workflow import Requirement, Workflow, transition
from products.enums import OrganizationKind

from ..access import can_manage_recognition
from ..enums import CertificateStatus
from ..models import Certificate, CertificateSequence, CertificateStatusLog, Decision, Recognition
from ..validity import recognition_valid_until

DEFAULT_SUFFIX = {
    OrganizationKind.DEPARTMENT: "GCN-SCT",
    OrganizationKind.PEOPLES_COMMITTEE: "GCN-UBND",
    OrganizationKind.MINISTRY_AGENCY: "GCN-BCT",
    OrganizationKind.EXTENSION_CENTRE: "GCN-TTKC",
}


def certificate_suffix(body) -> str:
    return body.certificate_suffix or DEFAULT_SUFFIX.get(body.kind, "GCN")


def _next_serial(body, year: int) -> int:
    try:
        with transaction.atomic():
            CertificateSequence.objects.get_or_create(issuing_body=body, year=year)
    except IntegrityError:  # created by a concurrent transaction between our read and our insert
        pass
    sequence = CertificateSequence.objects.select_for_update().get(issuing_body=body, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _place(body) -> str:
    """The place in the date line: the body's province ("Cao Bằng"), or Hà Nội for a ministry agency."""
    return body.province.name if body.province_id else "Hà Nội"


def _snapshot(recognition: Recognition, issued_on: datetime.date) -> dict:
    product = recognition.product
    producer = product.producer
    as_recorded = producer.province.name if producer.province_id else ""
    today = producer.current_province.name if producer.current_province_id else as_recorded
    decision = recognition.decision
    return {
        "product_name": product.name,
        "group_name": product.group.name,
        "producer_name": producer.name,
        # From 1 July 2025 in the two-level form once the producer confirmed its commune/ward of today.
        "producer_address": producer.address_on(issued_on),
        "province_name": today,
        "province_as_recorded": as_recorded if as_recorded != today else "",
        "level_name": recognition.level.name,
        "recognition_year": recognition.year,
        "decision_number": recognition.decision_number,
        "decision_date": recognition.decision_date,
        "decision_body": decision.issuing_body.name if decision else "",
    }


def _recognitions_qs():
    return Recognition.objects.select_related(
        "product__group",
        "product__producer__province",
        "product__producer__unit",
        "product__producer__current_province",
        "product__producer__current_unit",
        "level__programme",
        "decision__issuing_body__province",
    )


def latest_issue_date() -> datetime.date:
    """A certificate may be dated ahead for a ceremony, but only so far (`CERTIFICATE_MAX_DAYS_AHEAD`): a typo
    such as 2062 would take a number in that year's sequence for good."""
    return timezone.localdate() + datetime.timedelta(days=settings.CERTIFICATE_MAX_DAYS_AHEAD)


def _future_date_message() -> str:
    return _("A certificate cannot be dated after %(date)s.") % {"date": vn_date(latest_issue_date())}


def _issue_date_error(recognition: Recognition, issued_on: datetime.date) -> str:
    if recognition.decision_date and issued_on < recognition.decision_date:
        return _("A certificate cannot be issued before its decision (%(date)s).") % {
            "date": vn_date(recognition.decision_date)
        }
    return _future_date_message() if issued_on > latest_issue_date() else ""


@transaction.atomic
def certificate_issue(
    *,
    recognition: Recognition,
    actor,
    issued_on: datetime.date | None = None,
    issuing_body=None,
    signer_title: str = "",
    signer_name: str = "",
) -> Certificate:
    """Issue the certificate of a recognition. The issuing body and the signer default to the decision's;
    a recognition recorded from the archive needs them given. The certificate is valid as long as the
    recognition says (`awards.validity`): printing it today for a 2017 recognition gives a certificate that
    expired on 31/12/2020, never a new validity."""
    allowed, reason = can_manage_recognition(actor, recognition)
    if not allowed:
        raise PermissionDenied(reason)
    recognition = _recognitions_qs().select_for_update(of=("self",)).get(pk=recognition.pk)
    if recognition.certificates.filter(status=CertificateStatus.VALID).exists():
        raise ValidationError(
            _("“%(product)s” already has a certificate for this recognition; re-issue it instead.")
            % {"product": recognition.product.name}
        )
    decision = recognition.decision
    body = issuing_body or (decision.issuing_body if decision else None)
    signer_title = title_text(signer_title or (decision.signer_title if decision else ""))
    signer_name = signer_name or (decision.signer_name if decision else "")
    errors = {}
    if body is None:
        errors["issuing_body"] = _("Choose the body that issues the certificate.")
    if not signer_title.strip() or not signer_name.strip():
        errors["signer_name"] = _("Give the signer's title and name.")
    issued_on = issued_on or timezone.localdate()
    if date_error := _issue_date_error(recognition, issued_on):
        errors["issued_on"] = date_error
    if errors:
        raise ValidationError(errors)
    if recognition.valid_until is None:  # recorded before the rule was applied on creation: set it, once
        recognition.valid_until = recognition_valid_until(
            recognition.level, year=recognition.year, decision_date=recognition.decision_date
        )
        recognition.save(update_fields=["valid_until"])
    serial = _next_serial(body, issued_on.year)
    certificate = Certificate.objects.create(
        recognition=recognition,
        issuing_body=body,
        year=issued_on.year,
        serial=serial,
        number=f"{serial}/{certificate_suffix(body)}",
        issued_on=issued_on,
        valid_until=recognition.valid_until,
        signer_title=signer_title,
        signer_name=signer_name.strip(),
        place=_place(body),
        issued_by=actor,
        **_snapshot(recognition, issued_on),
    )
    return certificate


@transaction.atomic
def certificates_issue_for_decision(*, decision: Decision, actor, issued_on=None, **signer) -> list[Certificate]:
    """Issue the certificates of every recognition of a decision that never had one, in the order of the
    decision's list (product group, then product name). Returns the new certificates. A recognition whose
    certificate was revoked is left alone: a new one is issued only on purpose, from its own page."""
    recognitions = (
        _recognitions_qs()
        .filter(decision=decision, certificates__isnull=True)
        .order_by("product__group__order", "product__name", "pk")
    )
    return [certificate_issue(recognition=r, actor=actor, issued_on=issued_on, **signer) for r in list(recognitions)]


def _manages(actor, certificate: Certificate) -> tuple[bool, str]:
    return can_manage_recognition(actor, certificate.recognition)


CERTIFICATE_REFUSALS = {
    CertificateStatus.REVOKED: gettext_lazy("Only a certificate in force can be revoked."),
    CertificateStatus.REPLACED: gettext_lazy("Only a certificate in force can be re-issued."),
}

CERTIFICATE_WORKFLOW = Workflow(
    model=Certificate,
    moves={
        (CertificateStatus.VALID, CertificateStatus.REVOKED): {_manages},
        (CertificateStatus.VALID, CertificateStatus.REPLACED): {_manages},
    },
    refusal=lambda _from, to: CERTIFICATE_REFUSALS[to],
    log_model=CertificateStatusLog,
    requirements={
        CertificateStatus.REVOKED: Requirement(fields=("revoked_at", "revoked_by", "revoke_reason")),
        CertificateStatus.REPLACED: Requirement(fields=("revoke_reason",)),
    },
)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for revoking the certificate.")})
    fields = {"revoked_at": timezone.now(), "revoked_by": actor, "revoke_reason": reason.strip()}
    transition(
        certificate,
        CertificateStatus.REVOKED,
        workflow=CERTIFICATE_WORKFLOW,
        actor=actor,
        note=reason.strip(),
        fields=fields,
    )
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor, issued_on=None, reason: str = "") -> Certificate:
    """Replace a certificate (lost, damaged, a typo corrected, producer renamed): a new number and verification
    code, the data as it is today, the recognition's validity unchanged; the old one is marked replaced, its
    page points to the new one and the new one prints which certificate it replaces."""
    if issued_on is not None and issued_on > latest_issue_date():
        raise ValidationError({"issued_on": _future_date_message()})
    if issued_on is not None and issued_on < certificate.issued_on:
        raise ValidationError(
            {
                "issued_on": _("The new certificate cannot be issued before the certificate it replaces (%(date)s).")
                % {"date": vn_date(certificate.issued_on)}
            }
        )
    transition(
        certificate,
        CertificateStatus.REPLACED,
        workflow=CERTIFICATE_WORKFLOW,
        actor=actor,
        note=reason.strip(),
        fields={"revoke_reason": reason.strip()},
    )
    old = Certificate.objects.get(pk=certificate.pk)
    new = certificate_issue(
        recognition=old.recognition,
        actor=actor,
        issued_on=issued_on,
        issuing_body=old.issuing_body,
        signer_title=old.signer_title,
        signer_name=old.signer_name,
    )
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    return new
