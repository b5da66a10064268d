import re
import time
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.db import DatabaseError, connections
from django.forms.forms import NON_FIELD_ERRORS
from django.urls import reverse

from portal.accounts import services
from portal.accounts.enums import Role, SubmissionMail
from portal.accounts.models import User
from products.enums import ProducerKind
from products.models import Producer
from tests import factories

LOGIN = reverse("accounts:login")
REGISTER = reverse("accounts:register")
NEW_PASSWORD = "Chieu-truc-xanh-91"


def register_data(**changes):
    cao_bang = factories.province("Cao Bằng")
    data = {
        "account-full_name": "Nông Thị Hoa",
        "account-email": "hoa.htx@example.vn",
        "account-phone": "0912 345 678",
        "account-password1": NEW_PASSWORD,
        "account-password2": NEW_PASSWORD,
        "producer-name": "HTX Miến dong Phja Đén",
        "producer-kind": ProducerKind.COOPERATIVE,
        "producer-tax_code": "4800765432",
        "producer-legal_representative": "Nông Thị Hoa",
        "producer-representative_title": "Giám đốc",
        "producer-province": cao_bang.pk,
        "producer-unit": factories.ward_of(cao_bang).pk,
        "producer-address": "Xóm Phja Đén",
        "producer-phone": "",
        "producer-email": "",
        "producer-website": "",
        "producer-founding_year": "2018",
        "producer-workers": "",
    }
    data.update(changes)
    return data


def link_in(message, pattern):
    match = re.search(pattern, message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def verify_link(message):
    return link_in(message, r"https?://\S+/accounts/verify/\S+/")


def login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def registered(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, register_data())
    assert response.status_code == 302
    assert response.url == reverse("accounts:register_done")
    return User.objects.get(email="hoa.htx@example.vn")


# Registration and e-mail verification ---------------------------------------------------------------


def test_register_creates_unverified_user_producer_and_sends_link(registered):
    user = registered
    assert user.role == Role.PRODUCER
    assert not user.email_verified
    assert user.full_name == "Nông Thị Hoa"
    assert user.check_password(NEW_PASSWORD)
    producer = user.producer
    assert producer.name == "HTX Miến dong Phja Đén"
    assert producer.tax_code == "4800765432"
    assert producer.current_province == factories.province("Cao Bằng")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hoa.htx@example.vn"]
    assert verify_link(mail.outbox[0]).startswith("/accounts/verify/")


def test_register_done_page_shows_the_address(client, registered):
    response = client.get(reverse("accounts:register_done"))
    assert response.status_code == 200
    assert "hoa.htx@example.vn" in response.content.decode()


def test_register_sends_no_mail_when_transaction_is_not_committed(client, db):
    # The e-mail leaves only after the commit (on_commit): inside the test transaction nothing is sent.
    client.post(REGISTER, register_data())
    assert User.objects.filter(email="hoa.htx@example.vn").exists()
    assert mail.outbox == []


def test_login_refused_before_verification(client, registered):
    response = login(client, "hoa.htx@example.vn", NEW_PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, code="unverified")
    assert signed_in_user_id(client) is None


def test_verification_link_verifies_then_login_works(client, registered):
    response = client.get(verify_link(mail.outbox[0]))
    assert response.status_code == 302
    assert response.url == LOGIN
    registered.refresh_from_db()
    assert registered.email_verified

    response = login(client, "Hoa.HTX@Example.vn", NEW_PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(registered.pk)


def test_verification_link_opened_twice_still_works(client, registered):
    link = verify_link(mail.outbox[0])
    assert client.get(link).status_code == 302
    assert client.get(link).status_code == 302


@pytest.mark.parametrize("token", ["not-a-token", "eyJpZCI6MX0:1tXyZ:tampered"])
def test_bad_verification_token_is_refused(client, registered, token):
    response = client.get(reverse("accounts:verify", args=[token]))
    assert response.status_code == 400
    registered.refresh_from_db()
    assert not registered.email_verified


def test_tampered_verification_link_is_refused(client, registered):
    link = verify_link(mail.outbox[0])
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert client.get(tampered).status_code == 400
    registered.refresh_from_db()
    assert not registered.email_verified


def test_expired_verification_token_is_refused(client, registered, monkeypatch):
    issued_at = time.time() - (settings.EMAIL_VERIFICATION_MAX_AGE_DAYS * 24 * 3600 + 60)
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: issued_at)
        token = services.verification_token(registered)

    response = client.get(reverse("accounts:verify", args=[token]))

    assert response.status_code == 400
    registered.refresh_from_db()
    assert not registered.email_verified


def test_token_for_a_changed_email_is_refused(client, registered):
    token = services.verification_token(registered)
    registered.email = "khac@example.vn"
    registered.save()
    assert client.get(reverse("accounts:verify", args=[token])).status_code == 400


def test_register_with_existing_tax_code_is_refused_and_keeps_input(client, producer_a):
    response = client.post(REGISTER, register_data(**{"producer-tax_code": producer_a.tax_code}))

    assert "tax_code" in response.context["producer_form"].errors
    assert response.context["producer_form"]["name"].value() == "HTX Miến dong Phja Đén"
    assert response.context["account_form"]["email"].value() == "hoa.htx@example.vn"
    assert "HTX Miến dong Phja Đén" in response.content.decode()
    assert not User.objects.filter(email="hoa.htx@example.vn").exists()
    assert Producer.objects.count() == 1
    assert mail.outbox == []


# An address that already has an account: tests/portal/test_signin_security.py (same answer, owner mailed).


def test_register_with_different_passwords_is_refused(client, db):
    response = client.post(REGISTER, register_data(**{"account-password2": "Khac-hoan-toan-77"}))
    assert "password2" in response.context["account_form"].errors
    assert not User.objects.exists()
    assert not Producer.objects.exists()


def test_register_with_weak_password_is_refused(client, db):
    response = client.post(
        REGISTER, register_data(**{"account-password1": "12345678", "account-password2": "12345678"})
    )
    assert "password1" in response.context["account_form"].errors
    assert not User.objects.exists()


def test_register_with_unit_of_another_province_is_refused(client, db):
    ca_mau_ward = factories.ward_of(factories.province("Cà Mau"))
    response = client.post(REGISTER, register_data(**{"producer-unit": ca_mau_ward.pk}))
    assert "unit" in response.context["producer_form"].errors
    assert not User.objects.exists()


def test_register_page_redirects_signed_in_user(client, producer_user):
    client.force_login(producer_user)
    assert client.get(REGISTER).status_code == 302


def test_resend_verification_sends_new_link_only_to_unverified(
    client, registered, producer_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    for email in ("hoa.htx@example.vn", producer_user.email, "khong-ai@example.vn"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:verify_resend"), {"email": email})
        assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hoa.htx@example.vn"]
    assert client.get(verify_link(mail.outbox[0])).status_code == 302
    registered.refresh_from_db()
    assert registered.email_verified


# Sign-in, lockout --------------------------------------------------------------------------------


def test_login_with_wrong_password_shows_form_error(client, producer_user):
    response = login(client, producer_user.email, "sai-mat-khau")
    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, code="invalid_login")
    assert signed_in_user_id(client) is None


def test_login_of_disabled_account_is_refused(client, producer_user):
    producer_user.is_active = False
    producer_user.save()
    response = login(client, producer_user.email, factories.PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert signed_in_user_id(client) is None


def test_login_sends_producer_to_own_profile(client, producer_user):
    response = login(client, producer_user.email, factories.PASSWORD)
    assert response.status_code == 302
    assert client.get(response.url, follow=True).redirect_chain[-1][0] == reverse("products:producer.profile")


def test_failures_below_limit_do_not_lock(client, producer_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, producer_user.email, "sai-mat-khau")
    response = login(client, producer_user.email, factories.PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(producer_user.pk)


def test_login_locked_after_failure_limit_even_with_right_password(client, producer_user):
    assert settings.AXES_FAILURE_LIMIT == 3
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, producer_user.email, "sai-mat-khau")

    response = login(client, producer_user.email, factories.PASSWORD)

    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert signed_in_user_id(client) is None


def test_lockout_is_per_account(client, producer_user, producer_b_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, producer_user.email, "sai-mat-khau")
    response = login(client, producer_b_user.email, factories.PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(producer_b_user.pk)


# Password reset and change -------------------------------------------------------------------------


def test_password_reset_sends_link_that_sets_new_password(client, producer_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": producer_user.email})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [producer_user.email]

    link = link_in(mail.outbox[0], r"https?://\S+/accounts/password/reset/\S+/\S+/")
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response.url
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")

    producer_user.refresh_from_db()
    assert producer_user.check_password(NEW_PASSWORD)
    assert login(client, producer_user.email, NEW_PASSWORD).status_code == 302
    # The link works once.
    client.logout()
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_unknown_address_sends_nothing_and_answers_the_same(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "khong-ai@example.vn"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_change(client, producer_user):
    client.force_login(producer_user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    producer_user.refresh_from_db()
    assert producer_user.check_password(NEW_PASSWORD)
    # The session stays signed in after the change.
    assert signed_in_user_id(client) == str(producer_user.pk)


def test_password_change_refuses_wrong_old_password(client, producer_user):
    client.force_login(producer_user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "sai-mat-khau",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    producer_user.refresh_from_db()
    assert producer_user.check_password(factories.PASSWORD)


def test_profile_update(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Lương Văn Đức", "phone": "0206 3852 456", "submission_mail": SubmissionMail.DAILY},
    )
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert (staff_user.full_name, staff_user.phone, staff_user.submission_mail) == (
        "Lương Văn Đức",
        "0206 3852 456",
        SubmissionMail.DAILY,
    )


def test_the_submission_mail_choice_is_offered_to_department_staff_only(client, staff_user, producer_user):
    client.force_login(staff_user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "E-mail về hồ sơ được nộp" in page
    assert "Một e-mail tổng hợp mỗi ngày" in page
    client.force_login(producer_user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Nguyễn Thanh Tâm", "phone": "", "submission_mail": SubmissionMail.NONE},
    )
    assert response.status_code == 302
    producer_user.refresh_from_db()
    assert producer_user.submission_mail == SubmissionMail.IMMEDIATE  # not a field of its form
    assert "E-mail về hồ sơ được nộp" not in client.get(reverse("accounts:profile")).content.decode()


def test_logout(client, producer_user):
    client.force_login(producer_user)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert signed_in_user_id(client) is None


# Health check and language ---------------------------------------------------------------------------


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_healthz_503_when_database_fails(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    # Undone before the test database is torn down, which needs a working cursor.
    with monkeypatch.context() as m:
        m.setattr(connections["default"], "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_pages_render_in_vietnamese_by_default(client, db):
    assert '<html lang="vi">' in client.get(LOGIN).content.decode()


def test_language_switch_to_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response.url == LOGIN
    assert '<html lang="en">' in client.get(LOGIN).content.decode()
    assert '<html lang="en">' in client.get(REGISTER).content.decode()

    client.post(reverse("set_language"), {"language": "vi", "next": LOGIN})
    assert '<html lang="vi">' in client.get(LOGIN).content.decode()


def test_each_request_reads_the_account_with_its_organisation_and_producer(staff_user, producer_user):
    """The signed-in account of a request comes with its organisation and producer in the same query (the access
    rules read them on nearly every page); an account made inactive meanwhile is signed out."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.backends import EmailBackend

    backend = EmailBackend()
    for user, related in ((staff_user, "organization"), (producer_user, "producer")):
        with CaptureQueriesContext(connection) as queries:
            loaded = backend.get_user(user.pk)
            assert getattr(loaded, related).pk == getattr(user, related).pk
        assert len(queries.captured_queries) == 1
    User.objects.filter(pk=staff_user.pk).update(is_active=False)
    assert backend.get_user(staff_user.pk) is None
    assert backend.get_user(10**9) is None


def test_the_registration_forms_lists_say_what_to_choose(client, db):
    """Each list of the registration form opens on what to choose, in Vietnamese, not on Django's dashes; so does
    the commune list the form asks for once a province is chosen."""
    html = client.get(reverse("accounts:register")).content.decode()
    assert "---------" not in html
    for prompt in ("Chọn loại hình cơ sở", "Chọn tỉnh/thành phố", "Chọn xã/phường"):
        assert f">{prompt}</option>" in html
    options = client.get(reverse("products:unit.options")).content.decode()
    assert options.startswith('<option value="">Chọn xã/phường</option>')
