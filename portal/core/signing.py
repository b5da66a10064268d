"""Digital signatures on the portal's PDFs (PAdES with pyHanko); checking an uploaded one is signature_checks.
Imports no app: which body a signing certificate belongs to, and which documents the portal issued, are the apps'
business; here are the PKCS#12 reading, its password and the signing of one PDF.

Measured choices (README, "Digital signatures"; bench/bench_signing.py):
- pyHanko's SimpleSigner parses (and checks) the private key again for every signature, ~80 ms for RSA-2048:
  `_KeptKeySigner` keeps the parsed key, so a signature costs ~13 ms.
- The signature's visible text (signer, body, time) is typeset by WeasyPrint in the page, whose fonts are
  embedded already; the signature widget over it draws the frame. pyHanko's own text stamp would embed and
  subset a font for every signature (~220 ms with IBM Plex Serif), and its default font is neither embedded
  (PDF/A) nor Vietnamese.
- `bytes_reserved` is computed from the certificates' sizes, so that pyHanko signs once instead of twice.
- PDF/A: the incremental update keeps the catalogue's output intent and XMP identification (pdfaid), and
  pyHanko rewrites the XMP pdf:Producer to its own name while it appends that name to the Info dictionary's
  /Producer; PDF/A wants the two equal, so the Info entry is set to pyHanko's name before signing.

Heavy imports (pyHanko, cryptography) happen on first use."""

import dataclasses
import datetime
import hashlib
import io
import os
import re
import warnings
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from .formatting import vn_date

# pyHanko imports cryptography's DSA module, which warns that DSA is deprecated; the portal never signs with DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")

PASSWORD_ENV_PREFIX = "SIGNING_KEY_PASSWORD_"  # noqa: S105 (the name of a variable, not a password)
SECRET_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
FIELD_NAME = "ChuKySo"
FRAME_RGB = (0.608, 0.110, 0.110)  # the certificate's red (#9b1c1c)
PKCS12_MAX_BYTES = 64 * 1024


class SigningError(Exception):
    """A signing certificate that cannot be used, with the reason, for the person who can put it right."""


# -- where keys and passwords live --------------------------------------------------------------------------------
@deconstructible(path="portal.core.signing.KeyStorage")
class KeyStorage(FileSystemStorage):
    """Signing keys in a private directory of their own (SIGNING_KEYS_ROOT), apart from the uploads: files 0600."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return settings.SIGNING_KEYS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def password_env_name(secret_name: str) -> str:
    """'ubnd-cao-bang-2026' -> 'SIGNING_KEY_PASSWORD_UBND_CAO_BANG_2026'."""
    return PASSWORD_ENV_PREFIX + secret_name.upper().replace("-", "_")


def password_file(secret_name: str) -> Path:
    return Path(settings.SIGNING_SECRETS_DIR) / secret_name


def read_password(secret_name: str) -> str:
    """The password of a signing key: the environment variable first, then the secrets file (its last line
    break dropped). Never stored anywhere by the portal."""
    if not SECRET_NAME_RE.match(secret_name or ""):
        raise SigningError(_("The password name may hold only lower-case letters, digits and hyphens."))
    value = os.environ.get(password_env_name(secret_name))
    if value is not None:
        return value
    path = password_file(secret_name)
    try:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    except FileNotFoundError:
        raise SigningError(
            _(
                "No password for the signing key “%(name)s”: set the environment variable %(env)s or write the "
                "password to the file %(file)s on the server, then try again."
            )
            % {"name": secret_name, "env": password_env_name(secret_name), "file": path}
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SigningError(
            _("The password file %(file)s cannot be read (%(error)s).") % {"file": path, "error": exc}
        ) from exc


# -- what a certificate says ----------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class CertificateFacts:
    subject: str
    common_name: str
    issuer: str
    serial_number: str
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    fingerprint: str  # SHA-256 of the DER certificate, lower-case hex
    certificate_pem: str
    chain_pem: str  # the other certificates of the PKCS#12 (its CA chain), PEM one after the other


def _common_name(name) -> str:
    from cryptography.x509.oid import NameOID

    names = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else name.rfc4514_string()


def certificate_facts(cert, chain=()) -> CertificateFacts:
    from cryptography.hazmat.primitives.serialization import Encoding

    return CertificateFacts(
        subject=cert.subject.rfc4514_string(),
        common_name=_common_name(cert.subject),
        issuer=cert.issuer.rfc4514_string(),
        serial_number=f"{cert.serial_number:X}",
        valid_from=cert.not_valid_before_utc,
        valid_until=cert.not_valid_after_utc,
        fingerprint=hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest(),
        certificate_pem=cert.public_bytes(Encoding.PEM).decode("ascii"),
        chain_pem="".join(c.public_bytes(Encoding.PEM).decode("ascii") for c in chain),
    )


def check_in_force(facts: CertificateFacts, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if now < facts.valid_from:
        raise SigningError(
            _("This certificate is not valid yet: it is valid from %(date)s.")
            % {"date": vn_date(timezone.localtime(facts.valid_from).date())}
        )
    if now > facts.valid_until:
        raise SigningError(
            _("This certificate expired on %(date)s.") % {"date": vn_date(timezone.localtime(facts.valid_until).date())}
        )


# -- a signing key ----------------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True, eq=False)
class SigningKey:
    facts: CertificateFacts
    signer: object  # a pyHanko Signer
    bytes_reserved: int


def _kept_key_signer_class():
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class _KeptKeySigner(signers.SimpleSigner):
        """SimpleSigner, with the private key parsed once rather than for every signature."""

        def __init__(self, *, pyca_key, **kwargs):
            super().__init__(**kwargs)
            self._pyca_key = pyca_key

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            digest = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15":
                return self._pyca_key.sign(data, PKCS1v15(), digest)
            if mechanism == "ecdsa":
                return self._pyca_key.sign(data, ECDSA(digest))
            return super().sign_raw(data, digest_algorithm)

    return _KeptKeySigner


def _check_key(key, cert) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    if key is None or cert is None:
        raise SigningError(_("The PKCS#12 file does not hold a private key together with its certificate."))
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError(_("Only RSA and ECDSA keys are supported."))
    public = (Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if key.public_key().public_bytes(*public) != cert.public_key().public_bytes(*public):
        raise SigningError(_("The private key in the PKCS#12 file does not belong to its certificate."))
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.content_commitment or usage.digital_signature):
        raise SigningError(
            _("This certificate may not sign documents: its key usage allows neither signatures nor non-repudiation.")
        )


def open_pkcs12(data: bytes, password: str) -> SigningKey:
    """Open a PKCS#12 file; SigningError says why it cannot sign (wrong password, no key, key usage)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if len(data) > PKCS12_MAX_BYTES:
        raise SigningError(_("This file is too large for a PKCS#12 signing certificate."))
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password.encode("utf-8") or None)
    except ValueError:
        raise SigningError(
            _(
                "The PKCS#12 file does not open with its password: the password is wrong, or the file is not a "
                "PKCS#12 (.p12, .pfx) file."
            )
        ) from None
    _check_key(key, cert)
    der = serialization.Encoding.DER
    store = SimpleCertificateStore()
    store.register_multiple([asn1_x509.Certificate.load(c.public_bytes(der)) for c in chain])
    signer = _kept_key_signer_class()(
        pyca_key=key,
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        ),
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
        cert_registry=store,
    )
    certificates_size = len(cert.public_bytes(der)) + sum(len(c.public_bytes(der)) for c in chain)
    # The CMS object holds the certificates, the signature (at most twice the key's size in bytes, for ECDSA's
    # DER) and ~300 bytes of attributes, written as hex: twice its size. Measured with a 2-certificate RSA-2048
    # chain: 2,393 bytes for 2,848 reserved. Every reserved byte is in every PDF (and read by every merge).
    reserved = 2 * (certificates_size + key.key_size // 4 + 1024)
    return SigningKey(facts=certificate_facts(cert, chain), signer=signer, bytes_reserved=reserved)


# -- signing ----------------------------------------------------------------------------------------------------------
def _signer(meta, key: SigningKey, field_spec, signing_time: datetime.datetime):
    from pyhanko.sign import signers
    from pyhanko.stamp import StaticStampStyle

    class _TimedPdfSigner(signers.PdfSigner):
        """The signature's time (/M) is the one already printed in the page, not a later "now"."""

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
            session.system_time = signing_time
            return session

    frame = StaticStampStyle(border_width=1, border_color=FRAME_RGB)
    return _TimedPdfSigner(meta, signer=key.signer, stamp_style=frame, new_field_spec=field_spec)


def _align_producer(writer) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    if "/Info" not in writer.trailer:
        return
    info_ref = writer.trailer.raw_get("/Info")
    info = info_ref.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(info_ref)


def sign_pdf(
    data: bytes,
    *,
    key: SigningKey,
    page: int,
    box: tuple[float, float, float, float],
    signing_time: datetime.datetime,
    location: str = "",
) -> bytes:
    """A PAdES signature (ETSI.CAdES.detached, SHA-256) over the whole PDF, in one incremental update: a visible
    signature field on `page` over `box` (PDF points from the page's bottom-left), signed at `signing_time`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as PyHankoSigningError

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    _align_producer(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=key.facts.common_name,
        location=location or None,
    )
    field_spec = fields.SigFieldSpec(FIELD_NAME, on_page=page, box=box)
    try:
        output = _signer(meta, key, field_spec, signing_time).sign_pdf(writer, bytes_reserved=key.bytes_reserved)
    except PyHankoSigningError as exc:
        if "larger than expected" not in str(exc):
            raise
        # A certificate chain larger than estimated: let pyHanko size the signature (it signs twice to do so).
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        _align_producer(writer)
        output = _signer(meta, key, field_spec, signing_time).sign_pdf(writer)
    return output.getvalue()
