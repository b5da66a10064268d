"""The count next to “Việc cần làm” in the menu: the dossiers that wait for the user — to screen (or past their
correction deadline) for department staff, to score for a jury seat. One query for staff (six more only for a
seat on a council still scoring), once per request."""

from django.utils import timezone

from awards.selectors import badge_figures, dossiers_to_score


def badge_count(request) -> int:
    cached = getattr(request, "_inbox_badge", None)
    if cached is not None:
        return cached
    waiting, seated = badge_figures(request.user, timezone.localdate())
    count = waiting + (dossiers_to_score(request.user) if seated else 0)
    request._inbox_badge = count
    return count
