"""The staff dashboards' reference data and the reader's scope: provinces (today's and as they were), award levels
and product groups, read once per page (`dashboard_reference`), and the records a page counts (`Scope`: the
reader's provinces narrowed by the filters). What a reader may see is decided here, from `portal.core.access`: a
province's staff their province today (and the old provinces merged into it); a ministry official or a
superuser every province."""

from dataclasses import dataclass, field

from django.db.models import CharField, F, IntegerField, Q, Value

from awards.models import Level
from portal.core.access import EVERYTHING, NOTHING, ProvinceScope, Reach, is_national, province_scope
from portal.core.collation import vietnamese_key
from portal.core.prepared import Bind, Prepared
from portal.models import TallyRefresh
from products.models import AdministrativeUnit, ProductGroup

SPCNNTTB = "spcnnttb"


# -- reference data and the reader's scope -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Province:
    pk: int
    name: str
    is_current: bool
    successor_id: int | None


@dataclass(frozen=True)
class LevelRow:
    pk: int
    code: str
    name: str
    rank: int


@dataclass(frozen=True)
class GroupRow:
    pk: int
    code: str
    name: str


@dataclass
class Reference:
    """What the filter form offers and what the charts label: read once per page."""

    national: bool
    reach: ProvinceScope  # the reader's provinces: everything nationally, one for a province's staff
    provinces: dict[int, Province]
    levels: list[LevelRow]
    groups: list[GroupRow]
    refresh: TallyRefresh | None = None  # the maintained figures' last rebuild (the page reads it)
    memo: dict = field(default_factory=dict)  # figures read once for several blocks

    @property
    def own_province(self) -> int | None:
        """Today's province of a province's staff; None for a national reader (or a reader of nothing)."""
        return self.reach.province_or_none

    def today_provinces(self) -> list[Province]:
        """Today's provinces the reader may choose: all of them nationally, its own for a province's staff."""
        rows = [p for p in self.provinces.values() if p.is_current]
        if not self.national:
            rows = [p for p in rows if p.pk == self.own_province]
        return sorted(rows, key=lambda p: vietnamese_key(p.name))

    def old_provinces(self) -> list[Province]:
        """Provinces as they were before 1 July 2025: every one nationally, those merged into the reader's own
        province for a province's staff."""
        rows = [p for p in self.provinces.values() if not p.is_current]
        if not self.national:
            rows = [p for p in rows if p.successor_id == self.own_province]
        return sorted(rows, key=lambda p: vietnamese_key(p.name))

    def level_by_code(self, code) -> LevelRow | None:
        return next((lv for lv in self.levels if lv.code == code), None)


def dashboard_reference(user) -> Reference:
    """Provinces (today's and as they were), the SPCNNTTB levels and the product groups, in one query compiled once
    per thread (`REFERENCE`); for a province's staff, which province is theirs (its organisation's, read with the
    account)."""
    national = is_national(user)
    province_rows, level_rows, group_rows = {}, [], []
    for kind, pk, code, name, rank, current, successor in REFERENCE.rows():
        if kind == "province":
            province_rows[pk] = Province(pk, name, bool(current), successor)
        elif kind == "level":
            level_rows.append((rank, pk, LevelRow(pk, code, name, rank)))
        else:
            group_rows.append((rank, code, GroupRow(pk, code, name)))
    own_province = None
    if not national and user.organization_id and user.organization.province_id in province_rows:
        own_province = user.organization.province_id
    national, reach = _reach(user, national, own_province)
    # District (until 30/06/2025) and commune (from 01/07/2025) share a rank: district first, as the chain runs.
    level_rows.sort(key=lambda r: (r[0], r[2].code != "district", r[1]))
    group_rows.sort(key=lambda r: (r[0], r[1]))
    return Reference(
        national=national,
        reach=reach,
        provinces=province_rows,
        levels=[r[2] for r in level_rows],
        groups=[r[2] for r in group_rows],
    )


def _reference_rows():
    """One UNION query: provinces, levels and groups as rows of the same columns."""
    columns = ("kind", "ref_id", "ref_code", "ref_name", "ref_rank", "ref_current", "ref_successor")
    text, number = CharField(), IntegerField()
    provinces = (
        AdministrativeUnit.objects.filter(level="province")
        .order_by()
        .annotate(
            kind=Value("province", output_field=text),
            ref_id=F("pk"),
            ref_code=Value("", output_field=text),
            ref_name=F("name"),
            ref_rank=Value(0, output_field=number),
            ref_current=F("is_current"),
            ref_successor=F("successor_id"),
        )
        .values_list(*columns)
    )

    def coded(qs, kind, rank):
        """Rows of a coded list (levels, groups): always current, no successor."""
        return (
            qs.order_by()
            .annotate(
                kind=Value(kind, output_field=text),
                ref_id=F("pk"),
                ref_code=F("code"),
                ref_name=F("name"),
                ref_rank=F(rank),
                ref_current=Value(True),
                ref_successor=Value(None, output_field=number),
            )
            .values_list(*columns)
        )

    levels = coded(Level.objects.filter(programme__code=SPCNNTTB), "level", "rank")
    groups = coded(ProductGroup.objects.all(), "group", "order")
    return provinces.union(levels, groups, all=True)


REFERENCE = Prepared(_reference_rows)


def _reach(user, national: bool, own_province):
    """(national, the province scope the dashboard reads)."""
    if national:
        reach = EVERYTHING
    elif own_province is not None:
        reach = ProvinceScope(Reach.PROVINCE, own_province)
    else:
        # A staff account without an organisation reaches nothing; one of the ministry agency (a nationwide
        # organisation, no province) reads every province, as portal.core.access.province_scope says.
        reach = province_scope(user)
        national = reach.reach is Reach.NATIONWIDE
        reach = EVERYTHING if national else NOTHING
    return national, reach


def year_range(lookup: str, year_from: int | None, year_to: int | None) -> Q:
    """The records whose year (`lookup`) is within the range; either end may be open."""
    condition = Q()
    if year_from is not None:
        condition &= Q(**{f"{lookup}__gte": year_from})
    if year_to is not None:
        condition &= Q(**{f"{lookup}__lte": year_to})
    return condition


@dataclass(frozen=True)
class Scope:
    """The records a dashboard counts: the reader's province (None nationally) narrowed by the filters."""

    reach: ProvinceScope = EVERYTHING  # the reader's provinces
    province: int | None = None  # today's province chosen (a national reader)
    recorded_province: int | None = None  # a province as it was before 1 July 2025
    year_from: int | None = None
    year_to: int | None = None
    level: str | None = None  # a level code (recognitions only)
    group: int | None = None  # a product group (recognitions and OCOP)

    def places(self, today: str, recorded: str) -> Q:
        """The province conditions, given the lookups of today's province and of the province as recorded."""
        condition = self.reach.q(today)
        if self.province is not None:
            condition &= Q(**{today: self.province})
        if self.recorded_province is not None:
            condition &= Q(**{recorded: self.recorded_province})
        return condition

    @property
    def own_province(self) -> int | None:
        return self.reach.province_or_none

    @property
    def whole_country(self) -> bool:
        """Every province, none chosen: what the national cells count."""
        every_province = self.reach.reach in (Reach.EVERYTHING, Reach.NATIONWIDE)
        return every_province and self.province is None and self.recorded_province is None

    def years(self, lookup: str) -> Q:
        return year_range(lookup, self.year_from, self.year_to)

    # For the reads compiled once per shape (portal.core.prepared): which values a scope has, and a scope of
    # placeholders of that shape.
    VALUES = ("province", "recorded_province", "year_from", "year_to", "level", "group")

    def bound(self) -> tuple[tuple, dict]:
        """(shape, values): the reach and the names of the values set, then those values by name."""
        values = {name: getattr(self, name) for name in self.VALUES if getattr(self, name) is not None}
        if self.reach.province_id is not None:
            values["own"] = self.reach.province_id
        return (self.reach.reach, *sorted(values)), values

    @classmethod
    def placeholder(cls, reach: Reach, *names: str) -> "Scope":
        """The scope of a shape, with a `Bind` placeholder for each value."""

        def bind(name):
            if name not in names:
                return None
            return Bind(name, CharField()) if name == "level" else Bind(name)

        return cls(reach=ProvinceScope(reach, bind("own")), **{name: bind(name) for name in cls.VALUES})
