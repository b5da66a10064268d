"""The department's identity (portal.models.SiteIdentity) as every page's header and footer show it, kept in this
process's memory: a page costs no query for it. A change saved in the back office is seen at once by the process
that saved it and by the others within SITE_IDENTITY_CACHE_SECONDS (a minute by default)."""

import dataclasses
import threading
import time

from django.conf import settings
from django.urls import reverse

from portal.core.access import Rule, register

from .models import SiteIdentity

# Read and changed in the back office by superusers only; every page shows it through current().
register(SiteIdentity, Rule(superuser_only=True))

DEFAULT_AGENCY = "Sở Công Thương"


@dataclasses.dataclass(frozen=True)
class Identity:
    agency_name: str = DEFAULT_AGENCY
    governing_body: str = ""
    province: str = ""
    logo_url: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    working_hours: str = ""

    @property
    def full_name(self) -> str:
        """ "Sở Công Thương tỉnh Cao Bằng" (the province as its full name says it), or the agency alone."""
        return f"{self.agency_name} {self.province}" if self.province else self.agency_name

    @property
    def initials(self) -> str:
        """The letters of the mark drawn when no logo was uploaded: "SCT" for Sở Công Thương."""
        return "".join(word[0] for word in self.agency_name.split() if word[:1].isalpha())[:3].upper() or "CN"


NOT_SET = Identity()
_lock = threading.Lock()
_memo: dict = {}


def forget() -> None:
    with _lock:
        _memo.clear()


def remember(identity: Identity | None) -> None:
    """Keep `identity` (None: as if none was configured) for the next pages, as a read from the database would."""
    with _lock:
        _memo["value"], _memo["at"] = identity or NOT_SET, time.monotonic()


def current() -> Identity:
    """The identity the pages show: from memory, or one query when the memory is empty or older than the limit."""
    with _lock:
        if "value" in _memo and time.monotonic() - _memo["at"] < settings.SITE_IDENTITY_CACHE_SECONDS:
            return _memo["value"]
    identity = _load()
    remember(identity)
    return identity


def _load() -> Identity:
    row = SiteIdentity.objects.select_related("province").filter(pk=1).first()
    if row is None:
        return NOT_SET
    logo_url = ""
    if row.logo:
        logo_url = f"{reverse('site-logo')}?v={int(row.updated_at.timestamp())}"
    return Identity(
        agency_name=row.agency_name or DEFAULT_AGENCY,
        governing_body=row.governing_body,
        province=_lower_first(row.province.full_name) if row.province else "",
        logo_url=logo_url,
        address=row.address,
        phone=row.phone,
        email=row.email,
        working_hours=row.working_hours,
    )


def _lower_first(name: str) -> str:
    """ "Tỉnh Cao Bằng" -> "tỉnh Cao Bằng", as it reads after the agency's name."""
    return name[:1].lower() + name[1:]
