"""The comparison of provinces as a table: one row per province (today's 34, or the 63 as they were before
1 July 2025 and today's where records were made after it), one column per figure, the national totals, a rank
by the chosen column and the order asked for. The figures come from `portal.dashboards.by_province` (four
aggregate queries); the provinces and levels from the dashboard's reference (one query).

A reader sees every row when it reads the national view (ministry officials, superusers, the ministry agency);
a province's staff see their own province's row (or, as it was, the old provinces merged into it) against the
national totals and its rank among all provinces — never another province's figures (`portal.core.access`)."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.core.collation import vietnamese_key
from portal.core.formatting import vn_date
from portal.core.palette import level_colour, star_colour
from portal.dashboards import by_province
from portal.dashboards.by_province import OCOP_STARS, RECORDED, SOURCES, Period
from portal.dashboards.reference import Reference

RECOGNITIONS, OCOP, PROJECTS, FUNDING, FAIRS, PARTICIPATIONS = (
    "recognitions",
    "ocop",
    "projects",
    "funding",
    "fairs",
    "participations",
)
NAME = "name"
DEFAULT_SORT = RECOGNITIONS


@dataclass(frozen=True)
class Column:
    key: str  # "level:province", "stars:4", "funding:local", or one of the totals above
    label: str
    group: str  # the heading over a group of columns
    money: bool = False
    colour: str = ""  # a level's or a star count's colour (portal.core.palette), shown as a swatch
    total: bool = False  # the total of its group (bold)


@dataclass
class Row:
    pk: int | None
    name: str
    is_current: bool = True
    successor: str = ""  # an old province: today's province it is part of
    today_id: int | None = None
    values: dict[str, int] = field(default_factory=dict)
    rank: int | None = None


@dataclass
class Comparison:
    period: Period
    ocop_day: datetime.date
    columns: list[Column]
    rows: list[Row]  # the rows the reader sees, in the order asked for
    totals: Row | None  # every province (None for a reader of nothing)
    sort: str  # the column the rows are ordered by
    descending: bool
    ranked_by: Column
    ranked: int  # how many provinces the rank runs over
    national: bool  # the reader sees every province
    data_time: datetime.datetime | None = None  # when the maintained figures were counted

    @property
    def groups(self) -> list[tuple[str, int]]:
        """(heading, number of columns) over the columns, in order."""
        out: list[tuple[str, int]] = []
        for column in self.columns:
            if out and out[-1][0] == column.group:
                out[-1] = (column.group, out[-1][1] + 1)
            else:
                out.append((column.group, 1))
        return out


def columns(reference: Reference, ocop_day: datetime.date) -> list[Column]:
    recognitions = _("SPCNNTTB recognitions")
    ocop = _("OCOP products valid on %(date)s") % {"date": vn_date(ocop_day)}
    extension = _("Khuyến công projects (funding in VND)")
    fairs = _("Trade fairs")
    source_labels = {"national": _("National (KCQG)"), "local": _("Local (KCĐP)"), "counterpart": _("Counterpart")}
    out = [Column(f"level:{lv.code}", lv.name, recognitions, colour=level_colour(lv.code)) for lv in reference.levels]
    out.append(Column(RECOGNITIONS, _("Total"), recognitions, total=True))
    out += [Column(f"stars:{s}", f"{s}★", ocop, colour=star_colour(s)) for s in OCOP_STARS]
    out.append(Column(OCOP, _("Total"), ocop, total=True))
    out.append(Column(PROJECTS, _("Projects"), extension))
    out += [Column(f"funding:{s}", source_labels.get(s, s), extension, money=True) for s in SOURCES]
    out.append(Column(FUNDING, _("Total funding"), extension, money=True, total=True))
    out += [Column(FAIRS, _("Fairs"), fairs), Column(PARTICIPATIONS, _("Participations"), fairs)]
    return out


def _values(reference, recognitions, stars, projects, fairs) -> dict[str, int]:
    values = {f"level:{lv.code}": recognitions.get(lv.code, 0) for lv in reference.levels}
    values[RECOGNITIONS] = sum(recognitions.values())
    values |= {f"stars:{s}": stars.get(s, 0) for s in OCOP_STARS}
    values[OCOP] = sum(values[f"stars:{s}"] for s in OCOP_STARS)
    values[PROJECTS] = projects.get("projects", 0)
    values |= {f"funding:{s}": projects.get(s, 0) for s in SOURCES}
    values[FUNDING] = sum(values[f"funding:{s}"] for s in SOURCES)
    values[FAIRS] = fairs.get("fairs", 0)
    values[PARTICIPATIONS] = fairs.get("participations", 0)
    return values


def _units(reference: Reference, period: Period, with_figures: set[int]):
    """The provinces rows are made of: today's 34; as recorded, the 63 before the reform and today's ones where
    something was recorded after it."""
    for unit in reference.provinces.values():
        if period.basis == RECORDED:
            if not unit.is_current or unit.pk in with_figures:
                yield unit
        elif unit.is_current:
            yield unit


def all_rows(reference: Reference, period: Period, today: datetime.date) -> tuple[list[Row], datetime.date]:
    """Every province's row (the four aggregate queries on the maintained figures of `reference.refresh`), and
    the day OCOP ratings were counted on."""
    day = period.ocop_day(today)
    recognitions = by_province.recognitions_by_province(period)
    stars = by_province.ocop_by_province(period, day, reference.refresh)
    projects = by_province.projects_by_province(period)
    fairs = by_province.fairs_by_province(period)
    with_figures = set(recognitions) | set(stars) | set(projects) | set(fairs)
    rows = []
    for unit in _units(reference, period, with_figures):
        successor = reference.provinces.get(unit.successor_id)
        rows.append(
            Row(
                pk=unit.pk,
                name=unit.name,
                is_current=unit.is_current,
                successor=successor.name if successor else "",
                today_id=unit.pk if unit.is_current else unit.successor_id,
                values=_values(
                    reference,
                    recognitions.get(unit.pk, {}),
                    stars.get(unit.pk, {}),
                    projects.get(unit.pk, {}),
                    fairs.get(unit.pk, {}),
                ),
            )
        )
    return rows, day


def rank(rows: list[Row], key: str) -> None:
    """Competition ranking, largest first: equal values share a rank and the next rank skips ("1, 2, 2, 4")."""
    ordered = sorted(rows, key=lambda r: -r.values[key])
    previous, position = None, 0
    for index, row in enumerate(ordered, start=1):
        if row.values[key] != previous:
            previous, position = row.values[key], index
        row.rank = position


def parse_sort(raw: str | None, known: set[str]) -> tuple[str, bool]:
    """`?sort=-funding` (largest first) or `?sort=funding`; the name sorts A→Z unless `-name`. Anything unknown
    falls back to the recognitions, largest first."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    key = raw.lstrip("-")
    if key == NAME:
        return NAME, descending
    if key not in known:
        return DEFAULT_SORT, True
    return key, descending


def order(rows: list[Row], key: str, descending: bool) -> list[Row]:
    by_name = sorted(rows, key=lambda r: (vietnamese_key(r.name), not r.is_current))
    if key == NAME:
        return list(reversed(by_name)) if descending else by_name
    # Python's sort is stable: provinces with the same figure stay in dictionary order, either way.
    return sorted(by_name, key=lambda r: -r.values[key] if descending else r.values[key])


def compare(reference: Reference, period: Period, today: datetime.date, sort: str | None) -> Comparison:
    rows, day = all_rows(reference, period, today)
    cols = columns(reference, day)
    known = {c.key for c in cols}
    key, descending = parse_sort(sort, known)
    ranked_by = next(c for c in cols if c.key == (DEFAULT_SORT if key == NAME else key))
    rank(rows, ranked_by.key)
    totals = None
    if not reference.reach.is_nothing:
        totals = Row(pk=None, name=_("Whole country"), values={c.key: sum(r.values[c.key] for r in rows) for c in cols})
    visible = [r for r in rows if reference.reach.includes(r.today_id)]
    return Comparison(
        period=period,
        ocop_day=day,
        columns=cols,
        rows=order(visible, key, descending),
        totals=totals,
        sort=key,
        descending=descending,
        ranked_by=ranked_by,
        ranked=len(rows),
        national=reference.national,
        data_time=reference.refresh.refreshed_at if reference.refresh else None,
    )
