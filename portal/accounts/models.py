from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.collation import VIETNAMESE

from .enums import Role, SubmissionMail
from .normalise import normalise_email


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        email = normalise_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.STAFF)
        extra_fields.setdefault("email_verified", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address.

    The role decides which part of the portal the person works in. Department staff belong to one
    organisation, whose province scopes what they see; producer accounts belong to one producer
    (a producer may have several accounts); superusers see everything.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, db_collation=VIETNAMESE)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PRODUCER)
    organization = models.ForeignKey(
        "products.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    producer = models.ForeignKey(
        "products.Producer",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    is_staff = models.BooleanField(
        _("admin access"), default=False, help_text=_("May sign in to the administration site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    submission_mail = models.CharField(
        _("e-mail about submitted dossiers"),
        max_length=10,
        choices=SubmissionMail.choices,
        default=SubmissionMail.IMMEDIATE,
        help_text=_("For department staff: dossiers submitted or resubmitted in your province."),
    )
    # Kept by portal.core.messaging.notify so the menu shows the count without a query.
    unread_notifications = models.PositiveIntegerField(_("unread notifications"), default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="producer") | models.Q(organization__isnull=True),
                name="producer_account_has_no_organization",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[-1] if self.full_name else self.email
