"""Signing certificates and the certificate PDFs the portal hands out.

`signing_certificate_install` checks and installs an issuing body's PKCS#12 file (a superuser, in the admin).
`certificate_document` is the one way a certificate PDF leaves the portal (staff and producer downloads, the
admin's download, every part of a bulk export): signed when the issuing body has a signing certificate in use,
unsigned otherwise, and its SHA-256 recorded either way. A body whose signing certificate cannot sign (expired,
password or file missing) gets an error, never an unsigned PDF in its name.

Opened keys are kept per process (by record and fingerprint): the PKCS#12 is decrypted once, not per PDF."""

import hashlib
import threading

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import signing
from portal.core.access import is_superuser
from portal.core.signing import SigningError

from ..enums import CertificateStatus
from ..models import Certificate, CertificateDocument, SigningCertificate

_KEYS: dict[tuple[int, str], signing.SigningKey] = {}
_KEYS_LOCK = threading.Lock()


def _read_upload(upload) -> bytes:
    if upload.size > signing.PKCS12_MAX_BYTES:
        raise ValidationError({"pkcs12": _("This file is too large for a PKCS#12 signing certificate.")})
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def signing_certificate_check(*, pkcs12, secret_name: str) -> signing.CertificateFacts:
    """The facts of an uploaded PKCS#12 file that opens with its password and may sign today; ValidationError
    (on the field at fault) otherwise."""
    data = _read_upload(pkcs12)
    try:
        password = signing.read_password(secret_name)
    except SigningError as exc:
        raise ValidationError({"secret_name": str(exc)}) from exc
    try:
        key = signing.open_pkcs12(data, password)
        signing.check_in_force(key.facts)
    except SigningError as exc:
        raise ValidationError({"pkcs12": str(exc)}) from exc
    installed = SigningCertificate.objects.filter(fingerprint=key.facts.fingerprint).first()
    if installed is not None:
        raise ValidationError(
            {"pkcs12": _("This certificate is installed already: “%(label)s”.") % {"label": installed.label}}
        )
    return key.facts


@transaction.atomic
def signing_certificate_install(*, issuing_body, label: str, pkcs12, secret_name: str, actor) -> SigningCertificate:
    """Install a body's signing certificate and put it in use (the one it had before is kept, not in use)."""
    if not is_superuser(actor):
        raise PermissionDenied
    facts = signing_certificate_check(pkcs12=pkcs12, secret_name=secret_name)
    SigningCertificate.objects.select_for_update().filter(issuing_body=issuing_body, is_active=True).update(
        is_active=False
    )
    record = SigningCertificate(
        issuing_body=issuing_body,
        label=label.strip(),
        secret_name=secret_name,
        is_active=True,
        subject=facts.subject[:1000],
        common_name=facts.common_name[:255],
        issuer=facts.issuer[:1000],
        serial_number=facts.serial_number[:100],
        valid_from=facts.valid_from,
        valid_until=facts.valid_until,
        fingerprint=facts.fingerprint,
        certificate_pem=facts.certificate_pem,
        chain_pem=facts.chain_pem,
        created_by=actor,
    )
    record.pkcs12.save("key.p12", pkcs12, save=False)
    record.full_clean()
    record.save()
    return record


def signing_certificate_in_use(body) -> SigningCertificate | None:
    return SigningCertificate.objects.filter(issuing_body=body, is_active=True).first()


def _facts(record: SigningCertificate) -> signing.CertificateFacts:
    return signing.CertificateFacts(
        subject=record.subject,
        common_name=record.common_name,
        issuer=record.issuer,
        serial_number=record.serial_number,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        fingerprint=record.fingerprint,
        certificate_pem=record.certificate_pem,
        chain_pem=record.chain_pem,
    )


def signing_key(record: SigningCertificate) -> signing.SigningKey:
    """The opened key of an installed certificate (kept per process); SigningError says why it cannot sign."""
    signing.check_in_force(_facts(record))
    cache_key = (record.pk, record.fingerprint)
    with _KEYS_LOCK:
        key = _KEYS.get(cache_key)
    if key is not None:
        return key
    try:
        with record.pkcs12.open("rb") as fh:
            data = fh.read()
    except OSError:
        raise SigningError(
            _("The PKCS#12 file of the signing certificate “%(label)s” is missing from the key storage.")
            % {"label": record.label}
        ) from None
    key = signing.open_pkcs12(data, signing.read_password(record.secret_name))
    if key.facts.fingerprint != record.fingerprint:
        raise SigningError(
            _("The PKCS#12 file of “%(label)s” holds another certificate than the one installed.")
            % {"label": record.label}
        )
    with _KEYS_LOCK:
        _KEYS[cache_key] = key
    return key


def _signature_lines(certificate: Certificate, key: signing.SigningKey, at) -> dict:
    offset = at.strftime("%z")
    return {
        "signer": key.facts.common_name,
        "body": certificate.issuing_body.name,
        "time": f"{at:%d/%m/%Y %H:%M:%S} {offset[:3]}:{offset[3:]}",
    }


class CertificateWithdrawnError(SigningError):
    """A revoked or replaced certificate: no file of it is signed or handed out any more (a SigningError, so that
    every caller that already says why a PDF cannot be made says this too)."""


def _refuse_withdrawn(certificate: Certificate) -> None:
    if certificate.status == CertificateStatus.REVOKED:
        raise CertificateWithdrawnError(
            _("Certificate %(number)s is revoked: the portal no longer hands out its PDF.")
            % {"number": certificate.number}
        )
    if certificate.status == CertificateStatus.REPLACED:
        new = certificate.replaced_by.number if certificate.replaced_by_id else "—"
        raise CertificateWithdrawnError(
            _("Certificate %(number)s was replaced by certificate %(new)s: download the new one.")
            % {"number": certificate.number, "new": new}
        )


def certificate_document(*, certificate: Certificate) -> bytes:
    """The certificate's PDF as the portal hands it out: signed by the issuing body's signing certificate in use
    (PAdES, visible in the seal area), or unsigned where the body has none; its SHA-256 recorded. A revoked or
    replaced certificate gets none (CertificateWithdrawnError): a file signed today would pass the public file
    check as an unaltered certificate issued after its revocation."""
    from ..printouts import certificates as printout  # looked up at call time (tests replace the renderer)

    _refuse_withdrawn(certificate)
    record = signing_certificate_in_use(certificate.issuing_body)
    signed_at = None
    if record is None:
        data = printout.certificate_pdf(certificate)
    else:
        try:
            key = signing_key(record)
        except SigningError as exc:
            raise SigningError(
                _(
                    "The certificate was not issued: it cannot be signed. %(reason)s Ask an administrator to check "
                    "the signing certificate of %(body)s."
                )
                % {"reason": exc, "body": certificate.issuing_body.name}
            ) from exc
        signed_at = timezone.localtime().replace(microsecond=0)
        data, placed = printout.certificate_pdf_to_sign(certificate, _signature_lines(certificate, key, signed_at))
        data = signing.sign_pdf(
            data, key=key, page=placed.page, box=placed.rect, signing_time=signed_at, location=certificate.place
        )
    CertificateDocument.objects.create(
        certificate=certificate,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        signing_certificate=record,
        signed_at=signed_at,
    )
    return data
