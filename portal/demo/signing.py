"""The demo's signing certificates, so that its certificates come out digitally signed: a test certificate
authority "CA THỬ NGHIỆM — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" and one signer for each Cao Bằng body that issues
certificates, made here with `cryptography` (RSA-2048, SHA-256) and installed through the same service as the
admin's form. Every name says THỬ NGHIỆM (test): none of them has any legal value.

Each password is random and written to a secrets file (SIGNING_SECRETS_DIR, under var/), as an operator would;
the database never holds it. Idempotent: a body whose demo certificate still opens and signs is left alone; one
whose key file or password went missing (a fresh var/) gets a new one."""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.models import User
from portal.core.signing import SigningError
from products.models import Organization

CA_NAME = "CA THỬ NGHIỆM — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
BODIES = [
    # the body, the signer's common name, the start of its password's name
    ("Ủy ban nhân dân tỉnh Cao Bằng", "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG (THỬ NGHIỆM)", "demo-ubnd-cao-bang"),
    ("Sở Công Thương tỉnh Cao Bằng", "SỞ CÔNG THƯƠNG TỈNH CAO BẰNG (THỬ NGHIỆM)", "demo-sct-cao-bang"),
]
YEARS = 10


def _name(common_name: str, organisation: str | None = None):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _usage(*, ca: bool):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365 * YEARS))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(_usage(ca=ca), critical=True)
        .sign(signing_key, hashes.SHA256())
    )


def make_authority():
    """A new self-signed test CA: (its key, its certificate)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(CA_NAME)
    return key, _certificate(name, name, key.public_key(), key, ca=True)


def signer_pkcs12(authority, common_name: str, organisation: str, password: str) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    ca_key, ca_cert = authority
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _certificate(_name(common_name, organisation), ca_cert.subject, key.public_key(), ca_key, ca=False)
    return pkcs12.serialize_key_and_certificates(
        b"demo", key, cert, [ca_cert], serialization.BestAvailableEncryption(password.encode())
    )


def _still_signs(body) -> bool:
    from awards import services

    record = services.signing_certificate_in_use(body)
    if record is None:
        return False
    try:
        services.signing_key(record)
    except SigningError:
        return False
    return True


def load() -> dict:
    from awards import services

    admin = User.objects.get(email="quantri@cnnt.demo")
    authority = None
    installed = 0
    for body_name, common_name, prefix in BODIES:
        body = Organization.objects.get(name=body_name)
        if _still_signs(body):
            continue
        authority = authority or make_authority()
        password = secrets.token_urlsafe(24)
        secret_name = f"{prefix}-{secrets.token_hex(3)}"
        secrets_dir = Path(settings.SIGNING_SECRETS_DIR)
        secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret_file = secrets_dir / secret_name
        secret_file.write_text(password + "\n", encoding="utf-8")
        secret_file.chmod(0o600)
        data = signer_pkcs12(authority, common_name, body_name, password)
        services.signing_certificate_install(
            issuing_body=body,
            label=f"Chứng thư số THỬ NGHIỆM (không có giá trị pháp lý) — {body_name}",
            pkcs12=SimpleUploadedFile(f"{secret_name}.p12", data, content_type="application/x-pkcs12"),
            secret_name=secret_name,
            actor=admin,
        )
        installed += 1
    return {"signing certificates": installed}
