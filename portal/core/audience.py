"""Who a page is for, when staff and producers share a view: the one pair of audience mixins.

A view written once for both audiences (a product page, a nomination's steps) takes StaffAudience or
ProducerAudience: the access check, and `audience` for its templates and URL names ("awards:staff.…",
"products:producer.…"). An app adds its querysets and links in a subclass of each."""

from enum import StrEnum

from .access import is_producer, is_staff, requires


class Audience(StrEnum):
    STAFF = "staff"
    PRODUCER = "producer"


class StaffAudience(requires(is_staff)):
    audience = Audience.STAFF


class ProducerAudience(requires(is_producer)):
    audience = Audience.PRODUCER
