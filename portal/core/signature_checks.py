"""The check of an uploaded PDF's digital signatures (pyHanko's validator), against trust anchors the caller gives
(the installed signing certificates' chains): intact, valid, trusted, covering the whole file, by whom and when.
Imports no app; nothing here reaches the network (no OCSP, CRL or certificate fetching)."""

import dataclasses
import datetime
import hashlib
import io
import logging
from collections.abc import Iterable

from . import signing  # noqa: F401  (silences pyHanko's DSA deprecation warning before pyHanko is imported)

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class SignatureCheck:
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature itself verifies
    trusted: bool  # its certificate chains to one of the given trust anchors (at the signing time)
    whole_file: bool  # it covers every byte of the file
    signer_fingerprint: str
    signer_subject: str
    signer_name: str
    signed_at: datetime.datetime | None


@dataclasses.dataclass(frozen=True)
class PdfCheck:
    sha256: str
    readable: bool
    signatures: tuple[SignatureCheck, ...] = ()


def _asn1_certificates(pem_bundles: Iterable[str]) -> list:
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    found = {}
    for bundle in pem_bundles:
        if bundle.strip():
            for cert in x509.load_pem_x509_certificates(bundle.encode("ascii")):
                der = cert.public_bytes(Encoding.DER)
                found[der] = asn1_x509.Certificate.load(der)
    return list(found.values())


def trust_anchors(pem_bundles: Iterable[str]) -> tuple[list, list]:
    """(trust roots, other certificates) from the installed certificates and their chains: the self-signed ones
    are roots; without any, every given certificate is one (a chain cut short still names its signer)."""
    certificates = _asn1_certificates(pem_bundles)
    roots = [c for c in certificates if c.self_signed in ("maybe", "yes")]
    return (roots or certificates), [c for c in certificates if c not in roots]


def _check_signature(embedded, roots, others) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    cert = embedded.signer_cert
    signed_at = embedded.self_reported_timestamp
    # Judged at the signing time: a certificate that expired since still vouches for what it signed then
    # (whether the document is the one issued is asked of the record of issued documents, not of this time).
    context = ValidationContext(
        trust_roots=roots, other_certs=others, allow_fetching=False, revocation_mode="soft-fail", moment=signed_at
    )
    usage = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)
    status = validate_pdf_signature(embedded, context, key_usage_settings=usage, skip_diff=True)
    return SignatureCheck(
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer_fingerprint=hashlib.sha256(cert.dump()).hexdigest(),
        signer_subject=_subject(cert),
        signer_name=_asn1_common_name(cert),
        signed_at=signed_at,
    )


def _subject(cert) -> str:
    """'CN=…,O=…,C=VN', as the admin shows an installed certificate's subject."""
    from cryptography import x509

    return x509.load_der_x509_certificate(cert.dump()).subject.rfc4514_string()


def _asn1_common_name(cert) -> str:
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)


def check_pdf(data: bytes, *, trusted_pem: Iterable[str]) -> PdfCheck:
    """What an uploaded PDF's signatures say, judged against the given certificates (PEM bundles)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    digest = hashlib.sha256(data).hexdigest()
    roots, others = trust_anchors(trusted_pem)
    try:
        embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    except Exception:  # any file may come in: every way of failing to parse it means "unreadable"
        logger.info("An uploaded PDF could not be read", exc_info=True)
        return PdfCheck(sha256=digest, readable=False)
    checks = []
    for signature in embedded:
        try:
            checks.append(_check_signature(signature, roots, others))
        except Exception:  # a mangled signature container proves nothing
            logger.info("A signature of an uploaded PDF could not be validated", exc_info=True)
            checks.append(SignatureCheck(False, False, False, False, "", "", "", None))
    return PdfCheck(sha256=digest, readable=True, signatures=tuple(checks))
