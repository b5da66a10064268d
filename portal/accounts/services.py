from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.core.messaging.mail import queue_mail
from products.services import producer_create

from .enums import Role
from .models import User
from .normalise import normalise_email

_SALT = "portal.accounts.verify-email"


def verification_token(user: User) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"id": user.pk, "email": user.email})


def user_for_verification_token(token: str) -> User | None:
    max_age = settings.EMAIL_VERIFICATION_MAX_AGE_DAYS * 24 * 3600
    try:
        data = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=max_age)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("id"), email=data.get("email")).first()


def send_verification_email(*, user: User, base_url: str) -> None:
    link = base_url.rstrip("/") + reverse("accounts:verify", args=[verification_token(user)])
    body = render_to_string(
        "accounts/email/verify.txt", {"user": user, "link": link, "days": settings.EMAIL_VERIFICATION_MAX_AGE_DAYS}
    )
    queue_mail(to=[user.email], subject=_("Confirm your e-mail address"), body=body)


def send_registration_attempt_email(*, user: User, base_url: str) -> None:
    """Tell the owner of an address that someone tried to register a new account with it. In the portal's language
    (Vietnamese): the owner is not the person who filled in the form, whose language says nothing about theirs."""
    base_url = base_url.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "accounts/email/register_existing.txt",
            {
                "user": user,
                "login_link": base_url + reverse("accounts:login"),
                "reset_link": base_url + reverse("accounts:password_reset"),
            },
        )
        subject = _("Someone tried to register with your e-mail address")
    queue_mail(to=[user.email], subject=subject, body=body)


def _existing_account_registered(*, user: User, password: str, base_url: str) -> None:
    # Hash the password as creating the account would, so the answer takes about as long either way.
    make_password(password)
    # A disabled account is not told to sign in (password reset refuses it too).
    if user.is_active:
        send_registration_attempt_email(user=user, base_url=base_url)


@transaction.atomic
def producer_register(*, account: dict, producer: dict, base_url: str) -> User | None:
    """A producer signs itself up: the producer record and its first account, unverified until the
    e-mail link is opened.

    When the address already has an account nothing is created and its owner gets an e-mail instead (sign in or
    reset the password); the caller answers exactly as for a new account, so the form tells nobody which addresses
    have an account. Returns the new account, or None in that case."""
    email = normalise_email(account["email"])
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        _existing_account_registered(user=existing, password=account["password1"], base_url=base_url)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=account["password1"],
                full_name=account["full_name"],
                phone=account.get("phone", ""),
                role=Role.PRODUCER,
            )
    except IntegrityError:
        # The same address registered a moment ago by a concurrent request.
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            raise
        _existing_account_registered(user=existing, password=account["password1"], base_url=base_url)
        return None
    # The producer's history then shows who registered it, not "system".
    user.producer = producer_create(created_by=user, history_user=user, **producer)
    user.save(update_fields=["producer"])
    send_verification_email(user=user, base_url=base_url)
    return user


@transaction.atomic
def email_verify(*, user: User) -> User:
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user
