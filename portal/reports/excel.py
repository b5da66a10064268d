"""The reports as Excel workbooks (openpyxl): on every sheet the NĐ 30/2020 heading block (issuing body, national
motto and slogan, date line), the title, area and period; then tables with Vietnamese headings, bold totals rows,
`#,##0` for money (VND) and counts, sensible widths and the first table's heading row frozen.

Official content: built in Vietnamese whatever the language of the page that links to it."""

import io

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from portal.core.formatting import vn_date
from portal.core.spreadsheets import plain_text_cells

from .heading import Heading

NUMBER = "#,##0"
PERCENT = "0"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EDF3")
TOTAL_FILL = PatternFill("solid", fgColor="F5F5F5")
BOLD = Font(bold=True)


class Sheet:
    """A worksheet written top to bottom: heading block, section titles, tables, notes."""

    def __init__(self, sheet, heading: Heading, widths: list[int]):
        self.sheet = sheet
        self.widths = widths
        self.row = 1
        self.frozen = False
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        self._heading(heading)
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

    @property
    def columns(self) -> int:
        return len(self.widths)

    def _merged(self, row, first, last, value, font=None, align="center"):
        cell = self.sheet.cell(row=row, column=first, value=value)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if font:
            cell.font = font
        if last > first:
            self.sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        return cell

    def _heading(self, heading: Heading):
        split = max(1, self.columns // 2 - (1 if self.columns > 4 else 0))
        left, right = (1, split), (split + 1, self.columns)
        self._merged(1, *left, heading.parent_body, Font(size=11))
        self._merged(1, *right, heading.motto, Font(bold=True, size=11))
        self._merged(2, *left, heading.body, Font(bold=True, size=11, underline="single"))
        self._merged(2, *right, heading.slogan, Font(bold=True, size=12, underline="single"))
        self._merged(3, *right, heading.date_line, Font(italic=True, size=11))
        self._merged(5, 1, self.columns, heading.title.upper(), Font(bold=True, size=13))
        self.sheet.row_dimensions[5].height = 34
        self._merged(6, 1, self.columns, heading.area, Font(bold=True, size=12))
        self._merged(7, 1, self.columns, heading.period, Font(italic=True, size=12))
        self.row = 9

    def section(self, text: str):
        self._merged(self.row, 1, self.columns, text, BOLD, align="left")
        self.row += 1

    def note(self, text: str, *, italic=True):
        cell = self._merged(self.row, 1, self.columns, text, Font(italic=italic), align="left")
        lines = max(1, len(text) // (sum(self.widths) or 1) + 1)
        self.sheet.row_dimensions[self.row].height = 16 * lines
        self.row += 1
        return cell

    def table(self, headers: list[str], rows: list[list], totals: list | None = None, formats: dict | None = None):
        """`formats`: column index (0-based) -> number format; every int cell gets `#,##0` by default."""
        formats = formats or {}
        for column, text in enumerate(headers, start=1):
            cell = self.sheet.cell(row=self.row, column=column, value=str(text))
            cell.font = BOLD
            cell.fill = HEAD_FILL
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.sheet.row_dimensions[self.row].height = 32
        if not self.frozen:
            self.sheet.freeze_panes = self.sheet.cell(row=self.row + 1, column=1)
            self.sheet.print_title_rows = f"{self.row}:{self.row}"
            self.frozen = True
        self.row += 1
        for values in rows:
            self._values(values, formats)
        if totals is not None:
            self._values(totals, formats, bold=True)
        self.row += 1

    def _values(self, values, formats, bold=False):
        for column, value in enumerate(values, start=1):
            if isinstance(value, Promise):
                value = str(value)
            cell = self.sheet.cell(row=self.row, column=column, value=value)
            cell.border = BORDER
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = formats.get(column - 1, NUMBER)
                cell.alignment = Alignment(horizontal="right", vertical="top")
            else:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            if bold:
                cell.font = BOLD
                cell.fill = TOTAL_FILL
        self.row += 1


def _save(book: Workbook) -> bytes:
    plain_text_cells(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _tier_table(sheet: Sheet, first: str, table: dict, tiers):
    sheet.table(
        [first, *(t.name for t in tiers), _("Total")],
        [[row["label"], *row["counts"], row["total"]] for row in table["rows"]],
        [_("Total"), *table["totals"], table["total"]],
    )


def recognition_xlsx(heading: Heading, report: dict) -> bytes:
    with translation.override("vi"):
        return _save(_recognition_book(heading, report))


def _recognition_book(heading: Heading, report: dict) -> Workbook:
    book = Workbook()
    _recognition_summary(book, heading, report)
    targets = _recognition_targets(book, heading, report)
    _ocop_figures(targets, report["ocop"])
    if report["list"] is not None:
        _recognition_annex(book, heading, report["list"])
    return book


def _recognition_summary(book: Workbook, heading: Heading, report: dict) -> None:
    tiers = report["tiers"]
    widths = [34, *([15] * len(tiers)), 12]
    summary = Sheet(book.active, heading, widths)
    summary.sheet.title = _("Summary")[:31]
    summary.section(_("1. Products recognised per year and level"))
    _tier_table(summary, _("Year"), report["by_year"], tiers)
    summary.section(_("2. By product group"))
    _tier_table(summary, _("Product group"), report["by_group"], tiers)
    summary.section(_("3. By kind of producer"))
    _tier_table(summary, _("Kind of producer"), report["by_kind"], tiers)
    summary.note(_("Products are counted in the province where their producer was registered."))


def _recognition_targets(book: Workbook, heading: Heading, report: dict) -> Sheet:
    targets = Sheet(book.create_sheet(_("Targets")[:31]), heading, [30, 14, 14, 22, 13, 13, 13])
    targets.section(_("1. Recognition targets and results"))
    if report["targets"]:
        targets.table(
            [_("Province"), _("Plan period"), _("Year"), _("Level"), _("Target"), _("Actual"), _("Share reached")],
            [
                [
                    str(row["province"]),
                    row["period"],
                    row["when"],
                    row["level"],
                    row["count"],
                    row["actual"],
                    row["percent"],
                ]
                for row in report["targets"]
            ],
        )
        targets.note(
            _(
                "Actual: products whose producer was registered in the target's province, recognised at the "
                "target's level (district and commune alike) in its year, or over its whole period to date."
            )
        )
    else:
        targets.note(_("No recognition target is recorded for this province and period."))
    return targets


def _ocop_figures(targets: Sheet, ocop: dict) -> None:
    targets.section(
        _("2. OCOP products by stars on %(date)s") % {"date": vn_date(ocop["as_of"])},
    )
    targets.table(
        [_("Stars"), _("Products")],
        [[f"{stars}★", count] for stars, count in ocop["by_stars"]],
        [_("Total"), ocop["total"]],
    )
    if ocop["targets"]:
        targets.section(_("3. OCOP targets"))
        targets.table(
            [_("Target"), _("By year"), _("Planned"), _("Actual"), _("Target reached")],
            [
                [
                    row["label"],
                    row["year"],
                    float(row["value"]) if row["is_share"] else int(row["value"]),
                    (round(float(row["actual"]), 1) if row["actual"] is not None else None)
                    if row["is_share"]
                    else row["actual"],
                    _("Yes") if row["reached"] else _("No"),
                ]
                for row in ocop["targets"]
            ],
            formats={1: "0", 2: "#,##0.0", 3: "#,##0.0"},
        )


def _recognition_annex(book: Workbook, heading: Heading, recognitions) -> None:
    annex = Sheet(book.create_sheet(_("Annex")[:31]), heading, [7, 8, 16, 34, 28, 34, 18, 26, 18, 13])
    annex.section(_("Annex: recognised products"))
    annex.table(
        [
            _("No."),
            _("Year"),
            _("Level"),
            _("Product"),
            _("Product group"),
            _("Producer"),
            _("Kind of producer"),
            _("Province as recorded"),
            _("Decision number"),
            _("Decision date"),
        ],
        [
            [
                index,
                r.year,
                r.level.name,
                r.product.name,
                r.product.group.name,
                r.product.producer.name,
                r.product.producer.get_kind_display(),
                r.product.producer.province.full_name,
                r.decision_number,
                vn_date(r.decision_date) if r.decision_date else "",
            ]
            for index, r in enumerate(recognitions, start=1)
        ],
        formats={0: "0", 1: "0"},
    )


def extension_xlsx(heading: Heading, report: dict) -> bytes:
    with translation.override("vi"):
        return _save(_extension_book(heading, report))


def _extension_book(heading: Heading, report: dict) -> Workbook:
    book = Workbook()
    _extension_summary(book, heading, report)
    _extension_years(book, heading, report)
    _extension_fairs(book, heading, report["fairs"])
    _extension_notes(book, heading, report["notes"])
    return book


def _extension_summary(book: Workbook, heading: Heading, report: dict) -> None:
    summary = report["summary"]
    outputs = report["outputs"]
    main = Sheet(book.active, heading, [44, 12, 20, 20, 20, 14, 14, 14, 14, 14, 14])
    main.sheet.title = _("Summary")[:31]
    main.section(_("1. Key figures"))
    main.table(
        [_("Figure"), _("Value")],
        [
            [_("Projects"), summary["projects"]],
            [_("Total funding (VND)"), summary["total_amount"]],
            [_("Of which state budget (national and local, VND)"), report["budget_total"]],
            [_("Establishments supported"), summary["establishments"]],
            [_("Jobs created"), summary["jobs_created"]],
            [_("Private investment attracted (VND)"), summary["private_investment"]],
            [_("Trade fairs"), report["fairs"]["fairs"]],
            [_("Fair participations"), report["fairs"]["participations"]],
        ],
    )
    if summary["flagged"]:
        main.note(
            "⚠ "
            + _("%(n)s projects carry a data-quality note: see the sheet “Data notes”.") % {"n": summary["flagged"]},
            italic=False,
        ).font = Font(bold=True, color="9C2A00")
    main.section(_("2. Funding by source (VND)"))
    totals = report["source_totals"]
    main.table(
        [_("Source"), _("Projects"), _("Approved"), _("Disbursed"), _("Used (settled, else approved)")],
        [
            [row["label"], row["projects"], row["approved"], row["disbursed"], row["amount"]]
            for row in report["sources"]
        ],
        [_("Total"), summary["projects"], totals["approved"], totals["disbursed"], totals["amount"]],
    )
    main.section(_("3. By activity type"))
    main.table(
        [_("Activity type"), _("Projects"), _("Amount (VND)"), *(label for _n, label in outputs)],
        [
            [row["name"], row["projects"], row["amount"], *(row["outputs"][name] for name, _l in outputs)]
            for row in summary["by_type"]
        ],
        [_("Total"), summary["projects"], summary["total_amount"], *(summary["outputs"][n] for n, _l in outputs)],
    )
    main.note(
        _(
            "Amounts: the actual amount at settlement where it is recorded, else the approved amount. Projects "
            "funded by a source: those with an approved amount from it."
        )
    )


def _extension_years(book: Workbook, heading: Heading, report: dict) -> None:
    summary = report["summary"]
    types = report["by_year_type"]
    years = Sheet(book.create_sheet(_("Per year")[:31]), heading, [12, *([18] * max(len(types["types"]), 3)), 14])
    years.section(_("1. Projects per year and activity type"))
    years.table(
        [_("Year"), *(t["name"] for t in types["types"]), _("Total")],
        [[row["year"], *row["counts"], row["total"]] for row in types["rows"]],
        [_("Total"), *types["totals"], types["total"]],
        formats={0: "0"},
    )
    years.section(_("2. Funding per year and source (VND)"))
    years.table(
        [_("Year"), _("Projects"), *report["source_labels"], _("Total")],
        [[row["year"], row["projects"], *row["amounts"], row["total"]] for row in report["by_year_source"]],
        [
            _("Total"),
            summary["projects"],
            *(row["amount"] for row in report["sources"]),
            summary["total_amount"],
        ],
        formats={0: "0"},
    )


def _extension_fairs(book: Workbook, heading: Heading, fairs: dict) -> None:
    fair_sheet = Sheet(book.create_sheet(_("Trade fairs")[:31]), heading, [26, 14, 16, 16, 14, 20])
    fair_sheet.section(_("Trade fairs and participations"))
    fair_sheet.table(
        [_("Fair level"), _("Fairs"), _("Participations"), _("Producers"), _("Booths"), _("Support (VND)")],
        [
            [r["label"], r["fairs"], r["participations"], r["producers"], r["booths"], r["support"]]
            for r in fairs["rows"]
        ],
        [_("Total"), fairs["fairs"], fairs["participations"], fairs["producers"], fairs["booths"], fairs["support"]],
    )
    fair_sheet.note(_("Producers: distinct producers (one may take part in several fairs)."))


def _extension_notes(book: Workbook, heading: Heading, data_notes: list) -> None:
    notes = Sheet(book.create_sheet(_("Data notes")[:31]), heading, [16, 16, 16, 90])
    notes.section(_("Data-quality notes"))
    if data_notes:
        notes.table(
            [_("Projects"), _("First code"), _("Last code"), _("Note")],
            [[n["projects"], n["first"], n["last"], n["note"]] for n in data_notes],
        )
    else:
        notes.note(_("No project of this period carries a data-quality note."))
