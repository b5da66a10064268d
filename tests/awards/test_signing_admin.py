"""Installing an issuing body's signing certificate in the admin (superusers only): the PKCS#12 file must open with
the password found under its name (secrets file or environment), be able to sign and be within its validity;
each refusal says why, in Vietnamese. What the certificate says is shown; the password is never asked for."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import SigningCertificate
from tests.signing_helpers import install, make_ca

from .certificate_helpers import peoples_committee

ADD = "admin:awards_signingcertificate_add"
PASSWORD = "Mật-khẩu-ký-2027"


@pytest.fixture
def dirs(settings, tmp_path):
    settings.SIGNING_KEYS_ROOT = tmp_path / "keys"
    settings.SIGNING_SECRETS_DIR = tmp_path / "secrets"
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "ubnd-cao-bang").write_text(PASSWORD + "\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def ca():
    return make_ca()


def post(client, pkcs12: bytes, secret_name="ubnd-cao-bang", body=None):  # noqa: S107 (a file name)
    body = body or peoples_committee()
    return client.post(
        reverse(ADD),
        {
            "issuing_body": body.pk,
            "label": "Chứng thư số UBND tỉnh Cao Bằng",
            "pkcs12": SimpleUploadedFile("ubnd.p12", pkcs12, content_type="application/x-pkcs12"),
            "secret_name": secret_name,
        },
    )


def errors(response) -> str:
    assert response.status_code == 200
    return " ".join(
        " ".join(str(e) for e in field_errors) for field_errors in response.context["adminform"].form.errors.values()
    )


def test_a_superuser_installs_a_signing_certificate_and_sees_what_it_says(client, superuser, dirs, ca):
    client.force_login(superuser)
    assert client.get(reverse(ADD)).status_code == 200
    response = post(client, ca.pkcs12("ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", PASSWORD))
    assert response.status_code == 302
    record = SigningCertificate.objects.get()
    assert (record.issuing_body, record.common_name, record.is_active, record.created_by) == (
        peoples_committee(),
        "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG",
        True,
        superuser,
    )
    assert record.issuer == "CN=CA THỬ NGHIỆM CỦA BỘ KIỂM THỬ,C=VN"
    assert re.fullmatch(r"[0-9A-F]+", record.serial_number)
    assert re.fullmatch(r"[0-9a-f]{64}", record.fingerprint)
    assert record.valid_until - record.valid_from == datetime.timedelta(days=730)
    assert "BEGIN CERTIFICATE" in record.certificate_pem
    assert ca.pem.strip() in record.chain_pem

    page = client.get(reverse("admin:awards_signingcertificate_change", args=[record.pk])).content.decode()
    for shown in (record.common_name, record.issuer, record.serial_number, record.fingerprint):
        assert shown in page
    assert "SIGNING_KEY_PASSWORD_UBND_CAO_BANG" in page
    assert str(dirs / "secrets" / "ubnd-cao-bang") in page
    assert PASSWORD not in page
    assert ".p12" not in page


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong password", "Không mở được tệp PKCS#12 bằng mật khẩu đã cấu hình"),
        ("not a PKCS#12 file", "Không mở được tệp PKCS#12 bằng mật khẩu đã cấu hình"),
        ("expired", "Chứng thư số đã hết hạn ngày"),
        ("not valid yet", "Chứng thư số chưa có hiệu lực: có hiệu lực từ ngày"),
        ("may not sign", "Chứng thư số này không được dùng để ký văn bản"),
        ("no password", "đặt biến môi trường SIGNING_KEY_PASSWORD_KHONG_CO"),
    ],
)
def test_a_certificate_that_cannot_sign_is_refused_with_the_reason(client, superuser, dirs, ca, case, expected):
    now = datetime.datetime.now(datetime.UTC)
    make = {
        "wrong password": lambda: ca.pkcs12("UBND", "mật khẩu khác"),
        "not a PKCS#12 file": lambda: b"%PDF-1.7 day khong phai chung thu so",
        "expired": lambda: ca.pkcs12("UBND", PASSWORD, start=now - datetime.timedelta(days=400), days=365),
        "not valid yet": lambda: ca.pkcs12("UBND", PASSWORD, start=now + datetime.timedelta(days=3)),
        "may not sign": lambda: ca.pkcs12("UBND", PASSWORD, signs=False),
        "no password": lambda: ca.pkcs12("UBND", PASSWORD),
    }
    client.force_login(superuser)
    response = post(client, make[case](), secret_name="khong-co" if case == "no password" else "ubnd-cao-bang")
    assert expected in errors(response)
    assert not SigningCertificate.objects.exists()


def test_the_same_certificate_twice_is_refused(client, superuser, dirs, ca):
    client.force_login(superuser)
    data = ca.pkcs12("UBND", PASSWORD)
    assert post(client, data).status_code == 302
    (dirs / "secrets" / "ubnd-2").write_text(PASSWORD, encoding="utf-8")
    assert "Chứng thư số này đã được cài" in errors(post(client, data, secret_name="ubnd-2"))


def test_a_certificate_is_taken_out_of_use_not_deleted(client, superuser, dirs, ca):
    first = install(peoples_committee(), ca, secret_name="ubnd-2026")
    second = install(peoples_committee(), ca, secret_name="ubnd-2027", key_index=2)
    client.force_login(superuser)
    url = reverse("admin:awards_signingcertificate_change", args=[first.pk])
    response = client.post(url, {"label": first.label, "is_active": "on"})
    assert "đang được dùng cho cơ quan này" in errors(response)
    response = client.post(
        reverse("admin:awards_signingcertificate_change", args=[second.pk]), {"label": "Chứng thư cũ"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.is_active, second.label) == (False, "Chứng thư cũ")
    assert client.post(url, {"label": first.label, "is_active": "on"}).status_code == 302
    assert client.get(reverse("admin:awards_signingcertificate_delete", args=[first.pk])).status_code == 403


@pytest.mark.parametrize("fixture", ["staff_user", "ministry_user"])
def test_only_superusers_reach_signing_certificates(client, request, db, dirs, ca, fixture):
    record = install(peoples_committee(), ca, secret_name="ubnd-cao-bang")
    user = request.getfixturevalue(fixture)
    user.is_staff = True
    user.save()
    client.force_login(user)
    for url in (
        reverse("admin:awards_signingcertificate_changelist"),
        reverse(ADD),
        reverse("admin:awards_signingcertificate_change", args=[record.pk]),
    ):
        assert client.get(url).status_code in (302, 403, 404)
    assert "Chứng thư số" not in client.get(reverse("admin:index")).content.decode()
