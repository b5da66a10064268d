"""In-portal notifications: `notify` writes one line per user; reading them updates the user's unread counter
(`unread_notifications` on the user model, read by the menu without a query)."""

import dataclasses
from collections import Counter
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import Notification

TEXT_MAX = Notification._meta.get_field("text").max_length


@dataclasses.dataclass(frozen=True)
class Notice:
    users: Iterable  # users or their ids
    kind: str
    text: str
    link: str = ""


def notify(users: Iterable, *, kind: str, text: str, link: str = "") -> int:
    """Add a notification for each user (users or ids; each once); the number written."""
    return notify_many([Notice(users, kind, text, link)])


def notify_many(notices: Iterable[Notice]) -> int:
    """Several notices in one insert and a few counter updates (one per distinct number of new lines a user gets),
    whatever their number; the number of lines written."""
    rows = []
    for notice in notices:
        text = str(notice.text)
        if len(text) > TEXT_MAX:
            text = text[: TEXT_MAX - 1] + "…"
        ids = sorted({getattr(user, "pk", user) for user in notice.users if user is not None})
        rows += [Notification(user_id=pk, kind=notice.kind, text=text, link=notice.link) for pk in ids]
    if not rows:
        return 0
    Notification.objects.bulk_create(rows)
    per_user = Counter(row.user_id for row in rows)
    users = get_user_model()._default_manager
    for added in sorted(set(per_user.values())):
        ids = [pk for pk, count in per_user.items() if count == added]
        users.filter(pk__in=ids).update(unread_notifications=F("unread_notifications") + added)
    return len(rows)


def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; the number that were unread."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    count = unread.update(read_at=timezone.now())
    if count:
        get_user_model()._default_manager.filter(pk=user.pk).update(
            unread_notifications=Greatest(F("unread_notifications") - count, 0)
        )
    return count


def unread_recount(*, user) -> int:
    """Set the user's counter from its rows (the list page does, so a counter that drifted heals itself)."""
    count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    if count != user.unread_notifications:
        get_user_model()._default_manager.filter(pk=user.pk).update(unread_notifications=count)
        user.unread_notifications = count
    return count
