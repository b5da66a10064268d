"""Sign-in lockout keyed on the normalised e-mail address, and no page that tells who has an account
(registration, password reset, resend of the verification link)."""

import re
import unicodedata

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.forms.forms import NON_FIELD_ERRORS
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.accounts.models import User
from portal.accounts.normalise import axes_username, client_address, normalise_email
from products.models import Producer
from tests import factories
from tests.portal.test_accounts import NEW_PASSWORD, REGISTER, link_in, login, register_data, signed_in_user_id

# An address with composed Vietnamese letters in its domain, so that its NFD spelling differs from it.
EMAIL = "hoa@làngnghề.vn"
SPELLINGS = {
    "capitals": EMAIL.upper(),
    "blanks": f" {EMAIL} ",
    "nfd": unicodedata.normalize("NFD", EMAIL),
    "mixed": "Hoa@LàngNghề.VN",
}
WRONG = "sai-mat-khau"


@pytest.fixture
def account(producer_a):
    return factories.UserFactory(producer=producer_a, email=EMAIL, full_name="Nông Thị Hoa")


@pytest.fixture
def client_factory(db):
    """A fresh browser for each request whose answers are compared (no shared session or cookies)."""
    return Client


def assert_locked(response):
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]


def test_normalise_email_gives_one_spelling():
    assert SPELLINGS["nfd"] != EMAIL
    assert {normalise_email(s) for s in [EMAIL, *SPELLINGS.values()]} == {EMAIL}


def test_axes_counts_under_the_normalised_address():
    request = RequestFactory().post("/accounts/login/", {"username": SPELLINGS["nfd"].upper()})
    assert axes_username(request) == EMAIL
    assert axes_username(request, {"username": SPELLINGS["capitals"], "password": "***"}) == EMAIL


# Lockout -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_every_spelling_signs_in_while_not_locked(client, account, spelling):
    response = login(client, spelling, factories.PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(account.pk)


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_lockout_holds_for_every_spelling_even_with_the_right_password(client, account, spelling):
    assert settings.AXES_FAILURE_LIMIT == 3
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, EMAIL, WRONG)

    response = login(client, spelling, factories.PASSWORD)

    assert_locked(response)
    assert signed_in_user_id(client) is None


def test_failures_in_different_spellings_share_one_budget(client, account):
    for spelling in ("capitals", "nfd"):
        assert login(client, SPELLINGS[spelling], WRONG).status_code == 200
    # The third failure, in a third spelling, reaches the limit.
    assert_locked(login(client, SPELLINGS["mixed"], WRONG))

    assert_locked(login(client, SPELLINGS["blanks"], factories.PASSWORD))
    assert signed_in_user_id(client) is None


def test_unknown_address_fails_and_locks_like_an_account(client, account):
    unknown = "khong-ai@làngnghề.vn"
    known_failure = login(client, EMAIL.upper(), WRONG)
    assert known_failure.context["form"].has_error(NON_FIELD_ERRORS, code="invalid_login")
    for spelling in (unknown.upper(), unicodedata.normalize("NFD", unknown)):
        response = login(client, spelling, WRONG)
        assert response.status_code == known_failure.status_code
        assert response.context["form"].errors == known_failure.context["form"].errors
    response = login(client, f" {unknown} ", WRONG)

    assert_locked(response)
    assert_locked(login(client, unknown, WRONG))


def test_password_reset_lifts_the_lock_whatever_spelling_was_locked(
    client, account, django_capture_on_commit_callbacks
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, SPELLINGS["capitals"], WRONG)
    assert_locked(login(client, SPELLINGS["capitals"], factories.PASSWORD))

    with django_capture_on_commit_callbacks(execute=True):  # the outbox's e-mail leaves on commit
        client.post(reverse("accounts:password_reset"), {"email": SPELLINGS["nfd"]})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    form_url = client.get(link_in(mail.outbox[0], r"https?://\S+/accounts/password/reset/\S+/\S+/")).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = login(client, SPELLINGS["capitals"], NEW_PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(account.pk)


# Registration with an address that has an account ---------------------------------------------------------


def _register(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, register_data(**changes))
    return response, client.get(response.url) if response.status_code == 302 else None


def test_register_with_existing_address_answers_like_a_new_one_and_mails_the_owner(
    client_factory, producer_user, django_capture_on_commit_callbacks
):
    fresh, fresh_page = _register(client_factory(), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    users, producers = User.objects.count(), Producer.objects.count()
    typed = f" {producer_user.email.upper()} "

    taken, taken_page = _register(
        client_factory(),
        django_capture_on_commit_callbacks,
        **{"account-email": typed, "producer-tax_code": "4800765433", "producer-name": "HTX Khác"},
    )

    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url) == (302, reverse("accounts:register_done"))
    assert taken_page.status_code == fresh_page.status_code == 200
    assert [t.name for t in taken_page.templates] == [t.name for t in fresh_page.templates]
    assert producer_user.email in taken_page.content.decode()
    assert (User.objects.count(), Producer.objects.count()) == (users, producers)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [producer_user.email]
    assert message.subject == "Có người đã thử đăng ký bằng địa chỉ email của bạn"
    assert "không có tài khoản mới nào được tạo" in message.body
    assert link_in(message, r"https?://\S+/accounts/login/") == reverse("accounts:login")
    assert link_in(message, r"https?://\S+/accounts/password/reset/") == reverse("accounts:password_reset")
    producer_user.refresh_from_db()
    assert producer_user.check_password(factories.PASSWORD)


def test_register_with_address_of_a_disabled_account_answers_the_same_and_mails_nobody(
    client, producer_user, django_capture_on_commit_callbacks
):
    producer_user.is_active = False
    producer_user.save()

    response, page = _register(client, django_capture_on_commit_callbacks, **{"account-email": producer_user.email})

    assert response.status_code == 302
    assert response.url == reverse("accounts:register_done")
    assert page.status_code == 200
    assert not Producer.objects.filter(tax_code="4800765432").exists()
    assert mail.outbox == []


def test_register_with_nfd_spelling_of_an_existing_address_creates_nothing(
    client, account, django_capture_on_commit_callbacks
):
    response, _page = _register(client, django_capture_on_commit_callbacks, **{"account-email": SPELLINGS["nfd"]})

    assert response.status_code == 302
    assert list(User.objects.filter(email__iexact=EMAIL)) == [account]
    assert [m.to for m in mail.outbox] == [[EMAIL]]


# Password reset and resend of the verification link -------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(response):
    return response.status_code, response.redirect_chain, CSRF.sub("", response.content.decode())


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client_factory, producer_user, django_capture_on_commit_callbacks
):
    url = reverse("accounts:password_reset")
    with django_capture_on_commit_callbacks(execute=True):
        known = client_factory().post(url, {"email": producer_user.email}, follow=True)
        unknown = client_factory().post(url, {"email": "khong-ai@example.vn"}, follow=True)

    assert _page(known) == _page(unknown)
    assert [m.to for m in mail.outbox] == [[producer_user.email]]


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_password_reset_finds_the_account_in_any_spelling(
    client, account, spelling, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": spelling})
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_resend_verification_answers_the_same_for_every_address(
    client_factory, account, producer_user, django_capture_on_commit_callbacks
):
    account.email_verified = False
    account.save()
    url = reverse("accounts:verify_resend")

    with django_capture_on_commit_callbacks(execute=True):
        pages = [
            _page(client_factory().post(url, {"email": email}, follow=True))
            for email in (SPELLINGS["nfd"].upper(), producer_user.email, "khong-ai@example.vn")
        ]

    assert pages[0] == pages[1] == pages[2]
    assert [m.to for m in mail.outbox] == [[EMAIL]]


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_counts_each_client_not_the_proxy(client, settings):
    """With RATELIMIT_IP_META_KEY set to the proxy's header, one client's failures do not lock another client
    out of the same account (everyone reaches the portal from the proxy's address)."""
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    request = type("R", (), {"META": {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "203.0.113.7"}})()
    assert client_address(request) == "203.0.113.7"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"), {"username": "ai@example.vn", "password": WRONG}, HTTP_X_REAL_IP="203.0.113.7"
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
