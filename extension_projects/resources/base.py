"""What the project and participation resources share: service errors reported against their columns."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _


class ServiceWriteMixin:
    def reraise(self, exc, extra=None):
        if isinstance(exc, PermissionDenied):
            raise ValidationError({self.scope_column(): [str(exc) or _("You may not change this record.")]}) from exc
        by_attr = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        by_attr.update(extra or {})
        if hasattr(exc, "error_dict"):
            raise ValidationError({by_attr.get(k, k): v for k, v in exc.message_dict.items()}) from exc
        raise ValidationError({NON_FIELD_ERRORS: exc.messages}) from exc
