from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .normalise import normalise_email


class EmailBackend(ModelBackend):
    """Sign in with the e-mail address in any spelling (case, blanks, Unicode composition: normalise_email);
    inactive accounts are refused by ModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username or kwargs.get("email")
        if email:
            email = normalise_email(email)
        return super().authenticate(request, username=email, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in account of each request with its organisation and its producer, in one query: the access
        rules read one or the other on almost every page of staff and producers."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("organization", "producer").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
