from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView, UpdateView

from products.forms import ProducerForm

from . import services
from .forms import (
    AccountForm,
    EmailAuthenticationForm,
    EmailPasswordResetForm,
    ProfileForm,
    ResendVerificationForm,
)
from .models import User
from .normalise import normalise_email


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Answers the same whether or not the address has an account (Django's behaviour, kept)."""

    form_class = EmailPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proved they own the mailbox may sign in again at once, and the address is confirmed: a council
        # member invited by the department chooses its first password through this page.
        # Axes counts failures under the normalised address (settings.AXES_USERNAME_CALLABLE): that lifts the lock of
        # every spelling.
        axes_reset(username=normalise_email(form.user.email))
        services.email_verify(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class RegisterView(View):
    """Producer self-registration: the account and the producer record in one form."""

    template_name = "accounts/register.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("home")
        return self.render(AccountForm(), ProducerForm(prefix="producer"))

    def post(self, request):
        account_form = AccountForm(request.POST)
        producer_form = ProducerForm(request.POST, prefix="producer")
        if account_form.is_valid() and producer_form.is_valid():
            producer_data = {f: producer_form.cleaned_data[f] for f in producer_form.Meta.fields}
            # An address that already has an account gets the same answer (its owner is told by e-mail): the page
            # must not reveal who has an account.
            services.producer_register(
                account=account_form.cleaned_data,
                producer=producer_data,
                base_url=request.build_absolute_uri("/"),
            )
            request.session["registered_email"] = account_form.cleaned_data["email"]
            return redirect("accounts:register_done")
        return self.render(account_form, producer_form, status=400)

    def render(self, account_form, producer_form, status=200):
        return render(
            self.request,
            self.template_name,
            {"account_form": account_form, "producer_form": producer_form},
            status=status,
        )


class RegisterDoneView(TemplateView):
    template_name = "accounts/register_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(email=self.request.session.get("registered_email", ""), **kwargs)


class VerifyEmailView(View):
    def get(self, request, token):
        user = services.user_for_verification_token(token)
        if user is None:
            return render(request, "accounts/verify_failed.html", status=400)
        services.email_verify(user=user)
        messages.success(request, _("Your e-mail address is confirmed. You can sign in now."))
        return redirect("accounts:login")


class ResendVerificationView(View):
    template_name = "accounts/verify_resend.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ResendVerificationForm()})

    def post(self, request):
        form = ResendVerificationForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        user = User.objects.filter(email__iexact=form.cleaned_data["email"], email_verified=False).first()
        if user is not None:
            services.send_verification_email(user=user, base_url=request.build_absolute_uri("/"))
        # Same answer whether or not the address is known: the page must not reveal who has an account.
        messages.info(request, _("If an unverified account uses this address, a new link is on its way."))
        return redirect("accounts:login")


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm

    def get_object(self, queryset=None):
        return User.objects.select_related("organization", "organization__province", "producer").get(
            pk=self.request.user.pk
        )

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your profile is saved."))
        return redirect(reverse("accounts:profile"))
