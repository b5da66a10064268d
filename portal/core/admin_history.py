"""The admin's change history (django-simple-history) as the department reads it.

- A foreign key that was empty shows as "—": simple-history shows an empty value as "Deleted <model> (pk=None)",
  which reads as if someone's account had been deleted.
- django-simple-history ships no Vietnamese catalogue: its strings are listed here so `makemessages` keeps them in
  the portal's catalogue, which Django consults first."""

from django.utils.translation import gettext_noop, ngettext_lazy
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"

SIMPLE_HISTORY_STRINGS = (
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Object"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop("This object doesn't have a change history."),
    ngettext_lazy("entry", "entries", 2),
)


class _HistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        if value is None or (isinstance(value, DeletedObject) and value.pk is None):
            return EMPTY
        return super().prepare_delta_change_value(change, value)


class HistoryDisplayMixin:
    """For a `SimpleHistoryAdmin`: the change list of a record's history with empty values shown as such."""

    def get_historical_record_context_helper(self, request, historical_record):
        return _HistoryHelper(self.model, historical_record)
