"""Loading the administrative units: today's (from `vietnam-provinces`) and those before 1 July 2025
(from `products/data/units_before_2025.json`, built from vietnam-provinces 0.6.0 by
`scripts/build_units_before_2025.py`)."""

import datetime
import json
from pathlib import Path

from .search import fold, nfc

DATA_FILE = Path(__file__).parent / "data" / "units_before_2025.json"
REFORM_DATE = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)
_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ")


def _short(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _full(name: str, division_type: str) -> str:
    if name.startswith(_PREFIXES):
        return name
    label = "Thành phố" if division_type.startswith("thành phố") else division_type.capitalize()
    return f"{label} {name}"


def load_administrative_units(unit_model) -> int:
    """Create the units that are missing; never duplicates. Returns how many rows were created.

    Takes the model class so that a data migration can pass its historical model.
    """
    existing = set(unit_model.objects.values_list("level", "code", "is_current"))
    return _load_today(unit_model, existing) + _load_before_reform(unit_model, existing)


def _unit(unit_model, **kw):
    kw["name"], kw["full_name"] = nfc(kw["name"]), nfc(kw["full_name"])
    kw["search_text"] = fold(kw["full_name"])
    return unit_model(**kw)


def _load_today(unit_model, existing: set) -> int:
    """Today's provinces and their wards (vietnam-provinces)."""
    from vietnam_provinces.lookup import PROVINCE_MAPPING, WARD_MAPPING

    provinces = [
        _unit(
            unit_model,
            level="province",
            code=int(p.code),
            name=_short(p.name),
            full_name=_full(p.name, p.division_type.value),
            division_type=p.division_type.value,
            codename=p.codename,
            valid_from=REFORM_DATE,
            is_current=True,
        )
        for p in PROVINCE_MAPPING.values()
        if ("province", int(p.code), True) not in existing
    ]
    unit_model.objects.bulk_create(provinces)
    today = {u.code: u for u in unit_model.objects.filter(level="province", is_current=True)}
    wards = [
        _unit(
            unit_model,
            level="ward",
            code=int(w.code),
            name=_short(w.name),
            full_name=w.name,
            division_type=w.division_type.value,
            codename=w.codename,
            parent=today[int(w.province_code)],
            valid_from=REFORM_DATE,
            is_current=True,
        )
        for w in WARD_MAPPING.values()
        if ("ward", int(w.code), True) not in existing
    ]
    unit_model.objects.bulk_create(wards, batch_size=1000)
    return len(provinces) + len(wards)


def _load_before_reform(unit_model, existing: set) -> int:
    """The provinces and districts as they were until 30 June 2025 (the data file), each old province pointing to
    today's province that absorbed it."""

    def make_old(level, entry, **kw):
        names = ("code", "name", "full_name", "division_type", "codename")
        return _unit(
            unit_model,
            level=level,
            **{key: entry[key] for key in names},
            valid_until=LAST_DAY_BEFORE_REFORM,
            is_current=False,
            **kw,
        )

    today = {u.code: u for u in unit_model.objects.filter(level="province", is_current=True)}
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    old_provinces = [
        make_old("province", p, successor=today[p["successor_code"]])
        for p in data["provinces"]
        if ("province", p["code"], False) not in existing
    ]
    unit_model.objects.bulk_create(old_provinces)
    old = {u.code: u for u in unit_model.objects.filter(level="province", is_current=False)}
    districts = [
        make_old("district", d, parent=old[d["province_code"]])
        for d in data["districts"]
        if ("district", d["code"], False) not in existing
    ]
    unit_model.objects.bulk_create(districts, batch_size=1000)
    return len(old_provinces) + len(districts)


def link_district_successors(unit_model) -> int:
    """Point each district before 1 July 2025 to the commune or ward of today that carries its name in today's
    province, where that is unambiguous: exactly one such commune/ward, and no other old district merged into
    the same province with the same name ("Châu Thành" was a district of Đồng Tháp and of Tiền Giang; "Cao
    Lãnh" a city and a district). A suggestion for producers confirming their address, not a legal mapping: a
    district was usually split among several communes. Returns how many districts were linked."""
    wards: dict[tuple[int, str], list] = {}
    for ward in unit_model.objects.filter(level="ward", is_current=True).only("id", "name", "parent_id"):
        wards.setdefault((ward.parent_id, ward.name), []).append(ward)
    districts = list(
        unit_model.objects.filter(level="district", is_current=False, successor__isnull=True).select_related("parent")
    )
    names_per_province: dict[tuple[int, str], int] = {}
    for district in districts:
        key = (district.parent.successor_id, district.name)
        names_per_province[key] = names_per_province.get(key, 0) + 1
    linked = []
    for district in districts:
        key = (district.parent.successor_id, district.name)
        candidates = wards.get(key, [])
        if len(candidates) == 1 and names_per_province[key] == 1:
            district.successor = candidates[0]
            linked.append(district)
    unit_model.objects.bulk_update(linked, ["successor"], batch_size=500)
    return len(linked)
