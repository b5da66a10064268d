"""Reads of the periodic reports a department sends up: the SPCNNTTB recognitions summary (with targets vs actual
and OCOP stars) and the khuyến công implementation report, for one province and a period of years.

A report's area is a province of today (with the old provinces merged into it on 1 July 2025) or one old province
as it was. Every function here runs a fixed number of aggregate queries, whatever the number of records."""

from .area import ReportArea, lower_first, may_read_province, provinces_for_reports, report_area  # noqa: F401
from .extension import extension_report, fair_report  # noqa: F401
from .ocop import OCOP_STARS, ocop_report  # noqa: F401
from .recognitions import Tier, level_tiers, recognition_report, recognition_targets  # noqa: F401
