"""Imports of historical data: an uploaded spreadsheet is read, run as a dry run in a transaction that is rolled
back (the preview: new / updated / unchanged rows and every refused cell with its line, column and reason), then
confirmed (run for real, all or nothing) or discarded. The rows go through the resources the admin uses too
(portal.imports.resources)."""

import hashlib

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import RowResult
from openpyxl.utils import get_column_letter

from portal.core.tables import ImportRefused, check_size, read_table
from products.search import nfc

from ..models import ImportBatch, ImportKind, ImportStatus
from .access import can_import, can_manage_batch
from .resources import RESOURCES

PREVIEW_ROWS = 20
RESULT_LABELS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
}


# -- running a file through its resource ---------------------------------------------------------------------------
def _run(*, kind, actor, dataset, lines, dry_run):
    """(totals, errors, first rows). Wrong headings are reported alone: the rows are not read then."""
    resource = RESOURCES[kind](actor=actor)
    resource.line_numbers = lines
    try:
        resource.check_headings(dataset.headers)
    except ValidationError as exc:
        errors = [{"line": 1, "column": "", "letter": "", "message": m} for m in exc.messages]
        return {"new": 0, "updated": 0, "unchanged": 0, "refused": len(dataset)}, errors, []
    result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True, user=actor)
    return _totals(result), _errors(resource, result, dataset.headers), _preview(resource, result)


def _letters(headers):
    return {h: get_column_letter(i) for i, h in enumerate(headers, 1)}


def _errors(resource, result, headers) -> list[dict]:
    letters = _letters(headers)
    by_attr = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    errors = []
    for error in result.base_errors:
        exc = error.error
        messages = exc.messages if isinstance(exc, ValidationError) else [_("The file could not be imported.")]
        errors += [{"line": 1, "column": "", "letter": "", "message": m} for m in messages]
    for number, row_errors in result.row_errors():
        for _error in row_errors:
            errors.append(
                {
                    "line": resource.file_line(number),
                    "column": "",
                    "letter": "",
                    "message": _("This row could not be imported (unexpected error)."),
                }
            )
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            heading = "" if key == NON_FIELD_ERRORS else by_attr.get(key, key)
            for message in messages:
                errors.append(
                    {
                        "line": resource.file_line(invalid.number),
                        "column": heading,
                        "letter": letters.get(heading, ""),
                        "message": str(message),
                    }
                )
    errors.sort(key=lambda e: (e["line"], e["letter"] == "", len(e["letter"]), e["letter"]))
    return errors


def _totals(result) -> dict:
    return {
        "new": result.totals[RowResult.IMPORT_TYPE_NEW],
        "updated": result.totals[RowResult.IMPORT_TYPE_UPDATE],
        "unchanged": result.totals[RowResult.IMPORT_TYPE_SKIP],
        "refused": result.totals[RowResult.IMPORT_TYPE_INVALID] + result.totals[RowResult.IMPORT_TYPE_ERROR],
    }


def _preview(resource, result) -> list[dict]:
    rows = []
    for number, row in enumerate(result.rows, 1):
        if row.import_type not in RESULT_LABELS:
            continue
        rows.append(
            {"line": resource.file_line(number), "result": RESULT_LABELS[row.import_type], "record": row.object_repr}
        )
        if len(rows) >= PREVIEW_ROWS:
            break
    return rows


def _require_importer(actor):
    allowed, reason = can_import(actor)
    if not allowed:
        raise PermissionDenied(reason)


def import_batch_preview(*, actor, kind: str, uploaded_file) -> ImportBatch:
    """Read the file and run it as a dry run (nothing is written); record the batch with its totals and errors.
    Raises ImportRefused when the file itself cannot be read (nothing is recorded then)."""
    _require_importer(actor)
    if kind not in ImportKind.values:
        raise ValidationError(_("Choose what the file contains."), code="kind")
    name = nfc(uploaded_file.name or "").rsplit("/", 1)[-1][:200]
    check_size(name, getattr(uploaded_file, "size", 0) or 0)
    uploaded_file.seek(0)
    data = uploaded_file.read()
    dataset, lines = read_table(name, data)
    totals, errors, first_rows = _run(kind=kind, actor=actor, dataset=dataset, lines=lines, dry_run=True)
    batch = ImportBatch(
        kind=kind,
        status=ImportStatus.INVALID if errors else ImportStatus.PREVIEWED,
        original_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        province_id=None if actor.is_superuser else getattr(actor.organization, "province_id", None),
        uploaded_by=actor,
        row_count=len(dataset),
        totals=totals,
        errors=errors,
        preview=first_rows,
    )
    batch.file.save(name, ContentFile(data), save=False)
    batch.save()
    return batch


class _Rejected(Exception):  # noqa: N818 (carries the errors out of the rolled-back transaction)
    def __init__(self, errors, totals):
        self.errors, self.totals = errors, totals


def import_batch_confirm(*, actor, batch: ImportBatch) -> ImportBatch:
    """Write a previewed file for real, in one transaction: if any row is refused now (the data changed since the
    preview), nothing is written and the batch shows the new errors."""
    _require_importer(actor)
    allowed, reason = can_manage_batch(actor, batch)
    if not allowed:
        raise PermissionDenied(reason)
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != ImportStatus.PREVIEWED:
                raise ValidationError(
                    _("This file cannot be imported: it is “%(status)s”.") % {"status": locked.get_status_display()},
                    code="status",
                )
            try:
                with locked.file.open("rb") as handle:
                    data = handle.read()
            except (FileNotFoundError, ValueError):
                raise ImportRefused(
                    _("The stored file of this import is missing: upload it again."), code="missing"
                ) from None
            if hashlib.sha256(data).hexdigest() != locked.sha256:
                raise ValidationError(_("The stored file has changed since its preview: upload it again."))
            dataset, lines = read_table(locked.original_name, data)
            totals, errors, _rows = _run(kind=locked.kind, actor=actor, dataset=dataset, lines=lines, dry_run=False)
            if errors:
                raise _Rejected(errors, totals)
            locked.status = ImportStatus.IMPORTED
            locked.confirmed_by = actor
            locked.confirmed_at = timezone.now()
            locked.totals = totals
            locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "totals"])
            return locked
    except _Rejected as rejected:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.INVALID, errors=rejected.errors, totals=rejected.totals
        )
        raise ValidationError(
            _("Nothing was imported: %(count)s problem(s) were found in the file.") % {"count": len(rejected.errors)},
            code="rejected",
        ) from None


@transaction.atomic
def import_batch_discard(*, actor, batch: ImportBatch) -> ImportBatch:
    allowed, reason = can_manage_batch(actor, batch)
    if not allowed:
        raise PermissionDenied(reason)
    if batch.status not in (ImportStatus.PREVIEWED, ImportStatus.INVALID):
        raise ValidationError(_("Only a file not yet imported can be discarded."), code="status")
    batch.status = ImportStatus.DISCARDED
    batch.save(update_fields=["status"])
    return batch
