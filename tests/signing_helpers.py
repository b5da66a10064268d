"""Test certificate authorities and signing certificates, made with `cryptography` (RSA-2048, SHA-256): a CA,
a signer it issued (key usage: digital signature + non-repudiation), saved as PKCS#12 with a password."""

import dataclasses
import datetime
import functools

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DAY = datetime.timedelta(days=1)


@functools.cache
def _rsa_key(index: int):
    """Keys are the slow part (~0.1 s each): a handful, shared by the tests (a key proves nothing by itself)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str, organisation: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _usage(*, ca: bool, signs: bool = True) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signs and not ca,
        content_commitment=signs and not ca,
        key_encipherment=not signs,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclasses.dataclass
class SigningAuthority:
    name: str
    key: object
    cert: x509.Certificate

    def issue(self, common_name, *, organisation=None, key_index=1, start=None, days=730, signs=True):
        start = start or datetime.datetime.now(datetime.UTC) - DAY
        key = _rsa_key(key_index)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, organisation))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(ca=False, signs=signs), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return key, cert

    def pkcs12(self, common_name, password: str, **options) -> bytes:
        key, cert = self.issue(common_name, **options)
        return pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, [self.cert], serialization.BestAvailableEncryption(password.encode())
        )

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()


def make_ca(name="CA THỬ NGHIỆM CỦA BỘ KIỂM THỬ", key_index=0) -> SigningAuthority:
    key = _rsa_key(key_index)
    start = datetime.datetime.now(datetime.UTC) - 30 * DAY
    subject = _name(name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + 3650 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SigningAuthority(name=name, key=key, cert=cert)


def install(body, authority: SigningAuthority, *, secret_name: str, common_name=None, password=None, **options):
    """Write the password to the secrets file and install the body's signing certificate through the service."""
    from pathlib import Path

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards import services
    from tests import factories

    password = password or "mật-khẩu-thử"
    secrets = Path(settings.SIGNING_SECRETS_DIR)
    secrets.mkdir(parents=True, exist_ok=True)
    (secrets / secret_name).write_text(password + "\n", encoding="utf-8")
    data = authority.pkcs12(common_name or body.name.upper(), password, **options)
    return services.signing_certificate_install(
        issuing_body=body,
        label=f"Chứng thư số {body.name}",
        pkcs12=SimpleUploadedFile("khoa.p12", data, content_type="application/x-pkcs12"),
        secret_name=secret_name,
        actor=factories.UserFactory(is_superuser=True, is_staff=True),
    )
