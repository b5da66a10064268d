"""The inbox page: every kind of line that has something to say for the signed-in user, today."""

import datetime
from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.views import View

from awards.access import sits_on_a_council
from portal.core.access import is_staff, requires

from .lines import KINDS, Inbox, Line


def has_inbox(user) -> bool:
    """Department staff, council members and anyone else holding a jury seat."""
    return is_staff(user) or sits_on_a_council(user)


@dataclass
class Section:
    key: str
    heading: str
    lines: list[Line]


def inbox_sections(user, today: datetime.date) -> list[Section]:
    inbox = Inbox(user, today)
    sections = []
    for kind in KINDS:
        if kind.staff_only and not inbox.staff:
            continue
        lines = kind(inbox).lines()
        if lines:
            sections.append(Section(kind.key, str(kind.heading), lines))
    return sections


class InboxView(requires(has_inbox), View):
    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "portal/inbox.html",
            {"sections": inbox_sections(request.user, today), "today": today, "is_staff": is_staff(request.user)},
        )
