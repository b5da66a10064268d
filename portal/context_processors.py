import functools

from django.conf import settings

from portal import site_identity
from portal.core import access


class _Access:
    """`{{ access.staff }}`, `{{ access.ministry }}`…: the access module's answers for the signed-in user, so
    templates never compare roles themselves. Each answer is worked out when a template first asks."""

    def __init__(self, user):
        self._user = user

    @functools.cached_property
    def staff(self):
        return access.is_staff(self._user)

    @functools.cached_property
    def ministry(self):
        return access.is_ministry(self._user)

    @functools.cached_property
    def member(self):
        return access.is_member(self._user)

    @functools.cached_property
    def producer(self):
        return access.is_producer(self._user)

    @functools.cached_property
    def reads_lists(self):
        return access.can_read_lists(self._user)


class _InboxBadge:
    """`{{ inbox.count }}`: the menu's count of what waits for the user (portal.inbox.badge), read only when a
    template shows it, once per request."""

    def __init__(self, request):
        self._request = request

    @functools.cached_property
    def count(self) -> int:
        from portal.inbox.badge import badge_count

        return badge_count(self._request)


def portal(request):
    return {
        "access": _Access(getattr(request, "user", None)),
        "inbox": _InboxBadge(request),
        "PORTAL_NAME": settings.PORTAL_NAME,
        "SITE": site_identity.current(),
        "LOCKOUT_MINUTES": round(float(settings.AXES_COOLOFF_TIME or 0) * 60),
    }
