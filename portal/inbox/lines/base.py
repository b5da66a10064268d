"""The base of the inbox's line kinds: each reads what waits for the user and gives the page its lines."""

import datetime
import functools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.selectors import screening_work
from portal.core.access import is_staff
from portal.core.formatting import vn_date


@dataclass
class Line:
    """One thing that waits: what (`title`), about which record (`subject`), the facts that say how urgent it is,
    and the filtered list it leads to. `details` are sub-lines (a council's members short of sheets)."""

    title: str
    url: str
    subject: str = ""
    facts: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    urgent: bool = False


class Inbox:
    """What the line kinds share for one user and one day: reads two kinds need are made once."""

    def __init__(self, user, today: datetime.date):
        self.user = user
        self.today = today
        self.staff = is_staff(user)

    @functools.cached_property
    def screening(self):
        return screening_work(self.user, self.today)


class LineKind:
    """One kind of line. `staff_only` kinds are read for department staff only; the others for anyone with a
    jury seat too. lines() costs a fixed number of queries, whatever the data."""

    key = ""
    heading = ""
    staff_only = True

    def __init__(self, inbox: Inbox):
        self.inbox = inbox
        self.user, self.today = inbox.user, inbox.today

    def lines(self) -> list[Line]:
        raise NotImplementedError


def by_date(day: datetime.date) -> str:
    """'chậm nhất ngày 15/01/2027': how a deadline reads everywhere in the inbox."""
    return _("by %(date)s") % {"date": vn_date(day)}


def days_left(day: datetime.date, today: datetime.date) -> str:
    left = (day - today).days
    if left <= 0:
        return _("ends today")
    return ngettext("%(n)d day left", "%(n)d days left", left) % {"n": left}
