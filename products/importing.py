"""What every import of historical data shares (django-import-export): the Vietnamese cell readers (dd/mm/yyyy
dates, "1.075.000.000" money, province names of today or before 1 July 2025, tax codes checked with the
registry's validator), and the base resource: rows keyed on the record's natural key (tax code, codes) loaded in
one query, duplicates inside the file, the uploader's province checked row by row, unchanged rows skipped, and
every refusal reported against its column heading so the staff pages can list line, column and reason.

The staff pages (portal.imports) and the Django admin call the same resources. The column headings are the file
format shared with the department's spreadsheets, so they are Vietnamese literals, not translated strings; the
messages are translated."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field

from portal.core.access import Reach, province_scope

from .import_cells import (  # noqa: F401 (the cell readers are imported from here by the resources)
    _OLD_MARK,
    _PROVINCE_PREFIXES,
    DATE_FORMATS,
    OLD_SUFFIX,
    CellError,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    MoneyWidget,
    ProducerIndex,
    ProvinceIndex,
    ProvinceWidget,
    TaxCodeWidget,
    TextWidget,
    _blank,
    province_label,
    read_text,
)


# -- the base resource -----------------------------------------------------------------------------------------------
def column(heading, attribute=None, widget=None, readonly=False):
    return Field(attribute=attribute, column_name=heading, widget=widget or TextWidget(), readonly=readonly)


class ImportResource(resources.ModelResource):
    """Subclasses declare their columns with `column()`, list the required headings, and say how a row and a
    stored record are keyed (`row_key`, `instance_key`, `existing`) and which province a row belongs to
    (`province_id_of`). Existing records are loaded once (`existing`), never one query per row.

    Every import skips unchanged rows without a diff and reports them; a subclass's Meta adds its model, fields,
    bulk writing and whether model instances are cleaned."""

    class Meta:
        skip_diff = True
        skip_unchanged = True
        report_skipped = True

    required_headings: tuple = ()
    compare: tuple = ()  # attributes compared to tell an unchanged row; default: every imported attribute
    key_columns: tuple = ()  # where a duplicate key is reported

    def __init__(self, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        self._existing = {}
        self._seen = {}
        self._snapshot = None
        self._recorded_province = None
        self.line_numbers = None

    # keys and scope, per resource ----------------------------------------------------------------------------------
    def prepare(self, dataset):
        """Load what the rows refer to (producers, levels …) in a few queries."""

    def existing(self, dataset) -> dict:
        raise NotImplementedError

    def row_key(self, row):
        raise NotImplementedError

    def instance_key(self, instance):
        raise NotImplementedError

    def province_id_of(self, instance):
        """Today's province of the record a row makes (for the uploader's scope)."""
        raise NotImplementedError

    def snapshot_extra(self, instance) -> tuple:
        return ()

    # the import hooks ----------------------------------------------------------------------------------------------
    def import_data(self, dataset, *args, **kwargs):
        # All or nothing, in the admin too: a row refused means nothing is written.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, *args, **kwargs)

    def before_import(self, dataset, **kwargs):
        if kwargs.get("user") is not None:
            self.actor = kwargs["user"]
        self.check_headings(dataset.headers or [])
        self._seen = {}
        self.prepare(dataset)
        self._existing = self.existing(dataset)

    def check_headings(self, headers):
        known = {f.column_name for f in self.fields.values()}
        headers = [read_text(h) for h in headers]
        problems = [
            _("Unknown column “%(heading)s”: use the template's headings.") % {"heading": h}
            for h in headers
            if h and h not in known
        ]
        problems += [
            _("The column “%(heading)s” is missing.") % {"heading": h}
            for h in self.required_headings
            if h not in headers
        ]
        if problems:
            raise ValidationError(problems)

    def get_instance(self, instance_loader, row):
        try:
            key = self.row_key(row)
        except (ValueError, ValidationError, KeyError):
            return None
        return self._existing.get(key)

    def after_init_instance(self, instance, new, row, **kwargs):
        self._snapshot = None if new else self.snapshot(instance)
        # A record of another province cannot be taken over by a row naming one's own province.
        self._recorded_province = None if new else self.province_id_of(instance)

    def _compare_attributes(self):
        if self.compare:
            return self.compare
        return tuple(f.attribute for f in self.get_import_fields() if f.attribute and not f.readonly)

    def snapshot(self, instance) -> tuple:
        values = []
        for attr in self._compare_attributes():
            try:
                field = instance._meta.get_field(attr)
                name = field.attname if field.is_relation and field.many_to_one else attr
            except Exception:
                name = attr
            values.append(getattr(instance, name, None))
        return (*values, *self.snapshot_extra(instance))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or field.column_name not in row:
                continue
            try:
                field.save(instance, row, **kwargs)
            except CellError as exc:
                errors.setdefault(exc.column or field.column_name, []).append(str(exc))
            except ValueError as exc:
                errors.setdefault(field.column_name, []).append(str(exc))
        if not errors:
            self.check_row(instance, row, errors, **kwargs)
        if not errors:
            self.check_scope(instance, errors)
        if not errors:
            self.check_duplicate(instance, row, errors, **kwargs)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row, errors, **kwargs):
        """Rules of the domain beyond single cells (override)."""

    def check_scope(self, instance, errors):
        if self.actor is None:
            return
        scope = province_scope(self.actor, write=True)
        if scope.is_everything or scope.reach is Reach.NATIONWIDE:
            return
        own = scope.province_id  # None when the account has no province: every row is refused
        if self.province_id_of(instance) != own or self._recorded_province not in (None, own):
            heading = self.scope_column()
            errors.setdefault(heading, []).append(
                _("This row belongs to another province: you can import rows of your own province only.")
            )

    def scope_column(self):
        return self.key_columns[0] if self.key_columns else NON_FIELD_ERRORS

    def check_duplicate(self, instance, row, errors, **kwargs):
        key = self.instance_key(instance)
        line = kwargs.get("row_number")
        if key in self._seen:
            first = self._seen[key]
            errors.setdefault(self.key_columns[-1] if self.key_columns else NON_FIELD_ERRORS, []).append(
                _("Duplicate: the same record is already on line %(line)s of the file.")
                % {"line": self.file_line(first)}
            )
        else:
            self._seen[key] = line

    def file_line(self, row_number):
        """The spreadsheet line of a data row (the headings are line 1)."""
        if row_number is None:
            return ""
        if self.line_numbers and 0 < row_number <= len(self.line_numbers):
            return self.line_numbers[row_number - 1]
        return row_number + 1

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self._snapshot is None:
            return False
        return self.snapshot(instance) == self._snapshot

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)
        if not self._meta.clean_model_instances:
            return
        # Related rows were found by the widgets (no existence query per foreign key); keys were checked against
        # the rows loaded once (no unique query per row).
        exclude = [f.name for f in instance._meta.fields if f.is_relation or not f.editable]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            by_attr = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
            raise ValidationError(
                {by_attr.get(k, k): v for k, v in exc.message_dict.items()},
            ) from None

    # bulk writes keep the history (simple_history) -------------------------------------------------------------
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                self._meta.model.objects.bulk_create(self.create_instances, batch_size=batch_size)
                self.after_bulk(self.create_instances, created=True)
            except Exception as exc:
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                self._meta.model.objects.bulk_update(
                    self.update_instances, self.get_bulk_update_fields(), batch_size=batch_size
                )
                self.after_bulk(self.update_instances, created=False)
            except Exception as exc:
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.update_instances.clear()

    def after_bulk(self, instances, created: bool):
        history = getattr(self._meta.model, "history", None)
        if history is not None:
            history.bulk_history_create(
                instances,
                update=not created,
                default_user=self.actor if getattr(self.actor, "pk", None) else None,
                default_change_reason="import",
            )

    def get_bulk_update_fields(self):
        names = {f.name for f in self._meta.model._meta.concrete_fields if not f.primary_key}
        attrs = {f.attribute for f in self.fields.values() if f.attribute and not f.readonly}
        return sorted((attrs | set(self.bulk_update_extra)) & names)

    bulk_update_extra: tuple = ()


def is_model_field(model, name) -> bool:
    try:
        return isinstance(model._meta.get_field(name), models.Field)
    except Exception:
        return False
