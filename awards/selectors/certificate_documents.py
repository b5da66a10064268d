"""What an uploaded certificate PDF is: the one the portal issued, unaltered, and signed by an issuing body's
signing certificate installed here; or altered, or signed by someone else, or unknown (the public "check a
certificate file" page, awards.views.verify_pdf).

Two independent proofs: the digital signature (pyHanko's validator, trusting only the installed signing
certificates' chains, and only a signer that is one of them) and the record of issued files (the SHA-256 of every
certificate PDF the portal handed out). A signed PDF is "issued and unaltered" when both agree."""

import dataclasses
import hashlib
import io

from django.db import models

from portal.core import signature_checks

from ..models import Certificate, CertificateDocument, SigningCertificate


class Verdict(models.TextChoices):
    ISSUED_SIGNED = "issued_signed"  # signed by an installed certificate, covering the file, and on record
    ISSUED_UNSIGNED = "issued_unsigned"  # no signature, but byte for byte a file the portal issued
    MODIFIED = "modified"  # a signature that no longer matches the file, or bytes added after it
    UNREADABLE = "unreadable"  # not a PDF the signature reader can parse (damaged or altered)
    NOT_RECORDED = "not_recorded"  # a good signature of an installed certificate, but not a file on record
    FOREIGN = "foreign"  # signed, but not by a signing certificate installed on the portal
    UNKNOWN = "unknown"  # no signature and not on record


@dataclasses.dataclass(frozen=True)
class PdfVerdict:
    verdict: str
    sha256: str
    signature: signature_checks.SignatureCheck | None = None
    signing_certificate: SigningCertificate | None = None
    document: CertificateDocument | None = None  # the record of this very file (or of its signed original)

    @property
    def certificate(self) -> Certificate | None:
        return self.document.certificate if self.document else None

    @property
    def state(self) -> str | None:
        return self.certificate.state() if self.document else None


def _issued(sha256: str) -> CertificateDocument | None:
    return (
        CertificateDocument.objects.filter(sha256=sha256)
        .select_related("certificate__issuing_body", "certificate__replaced_by", "signing_certificate")
        .order_by("pk")
        .first()
    )


def _signed_original(data: bytes) -> CertificateDocument | None:
    """The issued file a PDF was made from by appending to it (an incremental update after the signature):
    the longest prefix ending with `%%EOF` that is on record."""
    end = data.rfind(b"%%EOF", 0, len(data) - 1)
    while end > 0:
        stop = end + len(b"%%EOF")
        for cut in (stop, stop + 1, stop + 2):  # the line break after %%EOF, if any, belongs to the file
            document = _issued(hashlib.sha256(data[:cut]).hexdigest())
            if document is not None:
                return document
        end = data.rfind(b"%%EOF", 0, end)
    return None


def certificate_pdf_verdict(data: bytes) -> PdfVerdict:
    installed = list(SigningCertificate.objects.select_related("issuing_body"))
    check = signature_checks.check_pdf(data, trusted_pem=[c.certificate_pem + c.chain_pem for c in installed])
    document = _issued(check.sha256)
    if not check.readable:
        return PdfVerdict(Verdict.UNREADABLE, check.sha256, document=document)
    if not check.signatures:
        verdict = Verdict.ISSUED_UNSIGNED if document else Verdict.UNKNOWN
        return PdfVerdict(verdict, check.sha256, document=document)
    signature = check.signatures[-1]
    ours = {c.fingerprint: c for c in installed}.get(signature.signer_fingerprint)
    if not (signature.intact and signature.valid and signature.whole_file):
        original = document or (_signed_original(data) if signature.intact else None)
        return PdfVerdict(Verdict.MODIFIED, check.sha256, signature, ours, original)
    if ours is None or not signature.trusted:
        return PdfVerdict(Verdict.FOREIGN, check.sha256, signature)
    verdict = Verdict.ISSUED_SIGNED if document else Verdict.NOT_RECORDED
    return PdfVerdict(verdict, check.sha256, signature, ours, document)


def certificate_pdf_verdict_of(upload) -> PdfVerdict:
    buffer = io.BytesIO()
    for chunk in upload.chunks():
        buffer.write(chunk)
    return certificate_pdf_verdict(buffer.getvalue())
