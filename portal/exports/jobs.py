"""The ministry export as a background file (portal/reports/jobs.py): the page's buttons queue a job with the
selection as JSON; the worker writes the rows with the same selectors and writers as the page did."""

import dataclasses

from django.utils import translation
from django.utils.translation import gettext as _

from portal.core.access import province_scope
from portal.core.files import CSV, XLSX
from portal.core.list_exports import csv_lines, filename, xlsx_bytes
from portal.reports.jobs import JobRefusedError

from . import ministry

BACK = "exports:ministry"  # where the job's page sends back to
STEM = "spcnnttb-bo-cong-thuong"


def job_params(selection: ministry.Selection) -> dict:
    return dataclasses.asdict(selection)


def may_read(job, user) -> bool:
    """A province's staff, their own province only (the page never asks for another); national accounts, any."""
    scope = province_scope(user)
    if scope.is_nothing:
        return False
    own = scope.province_or_none
    return own is None or job.params.get("province_id") == own


def build_file(job, beat) -> tuple[bytes, str, str]:
    if not may_read(job, job.created_by):
        raise JobRefusedError(_("You may no longer export this province."))
    selection = ministry.Selection(**job.params)
    rows = ministry.rows(selection)
    beat(done=1)
    if job.fmt == "csv":
        content = "".join(csv_lines(ministry.HEADERS, rows, translation.get_language())).encode()
        return content, filename(STEM, "csv"), CSV
    content = xlsx_bytes(
        ministry.HEADERS, rows, ministry.KINDS, title="SPCNNTTB", extra_sheets=[("Chú giải", ministry.legend())]
    )
    return content, filename(STEM, "xlsx"), XLSX
