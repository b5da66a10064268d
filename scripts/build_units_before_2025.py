"""Build products/data/units_before_2025.json: Vietnam's administrative units before 1 July 2025.

Usage:
    python scripts/build_units_before_2025.py /path/to/vietnam_provinces/data/nested-divisions.json

The input is ``nested-divisions.json`` from the ``vietnam-provinces==0.6.0`` wheel (63 provinces,
their districts and wards, as they stood until 30 June 2025). The output holds the 63 provinces and
their ~700 districts (no wards); each old province carries ``successor_code``, the code of the
province it became part of under Resolution 202/2025/QH15, looked up in the 34-province
``PROVINCE_MAPPING`` of the currently installed ``vietnam-provinces`` (2025.x).

Only the standard library and ``vietnam_provinces`` (2025.x) are used.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

from vietnam_provinces.lookup import PROVINCE_MAPPING

OUTPUT_PATH = Path(__file__).resolve().parent.parent / "products" / "data" / "units_before_2025.json"
SOURCE_LABEL = "vietnam-provinces 0.6.0 nested-divisions.json"
VALID_UNTIL = "2025-06-30"

# Old province code (vietnam-provinces 0.6.0) -> new province code (vietnam-provinces 2025.x).
# Comment: old province name -> successor province name.
OLD_TO_NEW_PROVINCE: dict[int, int] = {
    1: 1,  # Hà Nội -> Hà Nội
    2: 8,  # Hà Giang -> Tuyên Quang
    4: 4,  # Cao Bằng -> Cao Bằng
    6: 19,  # Bắc Kạn -> Thái Nguyên
    8: 8,  # Tuyên Quang -> Tuyên Quang
    10: 15,  # Lào Cai -> Lào Cai
    11: 11,  # Điện Biên -> Điện Biên
    12: 12,  # Lai Châu -> Lai Châu
    14: 14,  # Sơn La -> Sơn La
    15: 15,  # Yên Bái -> Lào Cai
    17: 25,  # Hoà Bình -> Phú Thọ
    19: 19,  # Thái Nguyên -> Thái Nguyên
    20: 20,  # Lạng Sơn -> Lạng Sơn
    22: 22,  # Quảng Ninh -> Quảng Ninh
    24: 24,  # Bắc Giang -> Bắc Ninh
    25: 25,  # Phú Thọ -> Phú Thọ
    26: 25,  # Vĩnh Phúc -> Phú Thọ
    27: 24,  # Bắc Ninh -> Bắc Ninh
    30: 31,  # Hải Dương -> Hải Phòng
    31: 31,  # Hải Phòng -> Hải Phòng
    33: 33,  # Hưng Yên -> Hưng Yên
    34: 33,  # Thái Bình -> Hưng Yên
    35: 37,  # Hà Nam -> Ninh Bình
    36: 37,  # Nam Định -> Ninh Bình
    37: 37,  # Ninh Bình -> Ninh Bình
    38: 38,  # Thanh Hóa -> Thanh Hóa
    40: 40,  # Nghệ An -> Nghệ An
    42: 42,  # Hà Tĩnh -> Hà Tĩnh
    44: 44,  # Quảng Bình -> Quảng Trị
    45: 44,  # Quảng Trị -> Quảng Trị
    46: 46,  # Huế -> Huế
    48: 48,  # Đà Nẵng -> Đà Nẵng
    49: 48,  # Quảng Nam -> Đà Nẵng
    51: 51,  # Quảng Ngãi -> Quảng Ngãi
    52: 52,  # Bình Định -> Gia Lai
    54: 66,  # Phú Yên -> Đắk Lắk
    56: 56,  # Khánh Hòa -> Khánh Hòa
    58: 56,  # Ninh Thuận -> Khánh Hòa
    60: 68,  # Bình Thuận -> Lâm Đồng
    62: 51,  # Kon Tum -> Quảng Ngãi
    64: 52,  # Gia Lai -> Gia Lai
    66: 66,  # Đắk Lắk -> Đắk Lắk
    67: 68,  # Đắk Nông -> Lâm Đồng
    68: 68,  # Lâm Đồng -> Lâm Đồng
    70: 75,  # Bình Phước -> Đồng Nai
    72: 80,  # Tây Ninh -> Tây Ninh
    74: 79,  # Bình Dương -> Hồ Chí Minh
    75: 75,  # Đồng Nai -> Đồng Nai
    77: 79,  # Bà Rịa - Vũng Tàu -> Hồ Chí Minh
    79: 79,  # Hồ Chí Minh -> Hồ Chí Minh
    80: 80,  # Long An -> Tây Ninh
    82: 82,  # Tiền Giang -> Đồng Tháp
    83: 86,  # Bến Tre -> Vĩnh Long
    84: 86,  # Trà Vinh -> Vĩnh Long
    86: 86,  # Vĩnh Long -> Vĩnh Long
    87: 82,  # Đồng Tháp -> Đồng Tháp
    89: 91,  # An Giang -> An Giang
    91: 91,  # Kiên Giang -> An Giang
    92: 92,  # Cần Thơ -> Cần Thơ
    93: 92,  # Hậu Giang -> Cần Thơ
    94: 92,  # Sóc Trăng -> Cần Thơ
    95: 96,  # Bạc Liêu -> Cà Mau
    96: 96,  # Cà Mau -> Cà Mau
}

# Resolution 202/2025/QH15 written with names only (codenames): new province -> old provinces merged
# into it. Used to cross-check the code table above, so no code in it rests on memory alone.
RESOLUTION_202_BY_NAME: dict[str, tuple[str, ...]] = {
    # Unchanged
    "ha_noi": ("ha_noi",),
    "hue": ("hue",),
    "lai_chau": ("lai_chau",),
    "dien_bien": ("dien_bien",),
    "son_la": ("son_la",),
    "lang_son": ("lang_son",),
    "quang_ninh": ("quang_ninh",),
    "thanh_hoa": ("thanh_hoa",),
    "nghe_an": ("nghe_an",),
    "ha_tinh": ("ha_tinh",),
    "cao_bang": ("cao_bang",),
    # Merged
    "tuyen_quang": ("tuyen_quang", "ha_giang"),
    "lao_cai": ("lao_cai", "yen_bai"),
    "thai_nguyen": ("thai_nguyen", "bac_kan"),
    "phu_tho": ("phu_tho", "vinh_phuc", "hoa_binh"),
    "bac_ninh": ("bac_ninh", "bac_giang"),
    "hung_yen": ("hung_yen", "thai_binh"),
    "hai_phong": ("hai_phong", "hai_duong"),
    "ninh_binh": ("ninh_binh", "ha_nam", "nam_dinh"),
    "quang_tri": ("quang_tri", "quang_binh"),
    "da_nang": ("da_nang", "quang_nam"),
    "quang_ngai": ("quang_ngai", "kon_tum"),
    "gia_lai": ("gia_lai", "binh_dinh"),
    "khanh_hoa": ("khanh_hoa", "ninh_thuan"),
    "lam_dong": ("lam_dong", "dak_nong", "binh_thuan"),
    "dak_lak": ("dak_lak", "phu_yen"),
    "ho_chi_minh": ("ho_chi_minh", "binh_duong", "ba_ria_vung_tau"),
    "dong_nai": ("dong_nai", "binh_phuoc"),
    "tay_ninh": ("tay_ninh", "long_an"),
    "can_tho": ("can_tho", "soc_trang", "hau_giang"),
    "vinh_long": ("vinh_long", "ben_tre", "tra_vinh"),
    "dong_thap": ("dong_thap", "tien_giang"),
    "ca_mau": ("ca_mau", "bac_lieu"),
    "an_giang": ("an_giang", "kien_giang"),
}

# Type prefix as written in the source name -> division_type written to the output.
# The 0.6.0 data labels every province "tỉnh" and every district "huyện", so the real type
# is taken from the name. Province values follow vietnam-provinces 2025's VietNamDivisionType.
PROVINCE_TYPES = {"Tỉnh": "tỉnh", "Thành phố": "thành phố trung ương"}
DISTRICT_TYPES = {"Quận": "quận", "Huyện": "huyện", "Thị xã": "thị xã", "Thành phố": "thành phố"}
PROVINCE_CODENAME_PREFIX = re.compile(r"^(tinh|thanh_pho)_")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def split_type(full_name: str, types: dict[str, str]) -> tuple[str, str, str]:
    """Return (canonical full name, short name, division_type) for a source name.

    The prefix is matched case-insensitively because the source has e.g. "Thành Phố Bắc Kạn";
    the full name is rewritten with the canonical prefix spelling.
    """
    for prefix, division_type in types.items():
        if full_name.casefold().startswith(prefix.casefold() + " "):
            rest = full_name[len(prefix) + 1 :].strip()
            # Numbered urban districts ("Quận 1") have no name without their type.
            short = f"{prefix} {rest}" if rest.isdigit() else rest
            return f"{prefix} {rest}", short, division_type
    raise ValueError(f"unknown type prefix in {full_name!r}")


def check_mapping(source_provinces: list[dict]) -> None:
    """Assert the code table covers 63 -> 34 and agrees with the name-based resolution text."""
    old_codes = {p["code"] for p in source_provinces}
    assert len(old_codes) == 63, f"expected 63 old provinces, got {len(old_codes)}"
    assert set(OLD_TO_NEW_PROVINCE) == old_codes, (
        f"table/source mismatch: {sorted(set(OLD_TO_NEW_PROVINCE) ^ old_codes)}"
    )
    assert len(PROVINCE_MAPPING) == 34, f"expected 34 new provinces, got {len(PROVINCE_MAPPING)}"
    new_codes = {int(code) for code in PROVINCE_MAPPING}
    assert set(OLD_TO_NEW_PROVINCE.values()) == new_codes, (
        f"new provinces not hit / unknown: {sorted(set(OLD_TO_NEW_PROVINCE.values()) ^ new_codes)}"
    )

    old_code_by_codename = {PROVINCE_CODENAME_PREFIX.sub("", p["codename"]): p["code"] for p in source_provinces}
    new_code_by_codename = {p.codename: int(code) for code, p in PROVINCE_MAPPING.items()}
    from_names: dict[int, int] = {}
    for new_codename, old_codenames in RESOLUTION_202_BY_NAME.items():
        for old_codename in old_codenames:
            old_code = old_code_by_codename[old_codename]
            assert old_code not in from_names, f"{old_codename} listed twice"
            from_names[old_code] = new_code_by_codename[new_codename]
    assert from_names == OLD_TO_NEW_PROVINCE, "code table disagrees with Resolution 202 by name: " + str(
        {k: (v, from_names.get(k)) for k, v in OLD_TO_NEW_PROVINCE.items() if from_names.get(k) != v}
    )


def build(source_provinces: list[dict]) -> dict:
    provinces = []
    districts = []
    for src in sorted(source_provinces, key=lambda p: p["code"]):
        full_name, name, division_type = split_type(nfc(src["name"]), PROVINCE_TYPES)
        provinces.append(
            {
                "code": src["code"],
                "name": name,
                "full_name": full_name,
                "division_type": division_type,
                "codename": PROVINCE_CODENAME_PREFIX.sub("", nfc(src["codename"])),
                "successor_code": OLD_TO_NEW_PROVINCE[src["code"]],
            }
        )
        for dsrc in src["districts"]:
            full_name, name, division_type = split_type(nfc(dsrc["name"]), DISTRICT_TYPES)
            districts.append(
                {
                    "code": dsrc["code"],
                    "name": name,
                    "full_name": full_name,
                    "division_type": division_type,
                    "province_code": src["code"],
                    # The source's short codename: unique within a province even where a town and
                    # a rural district share a name ("cao_lanh" vs "huyen_cao_lanh").
                    "codename": nfc(dsrc["short_codename"]),
                }
            )
    districts.sort(key=lambda d: d["code"])
    assert len({d["code"] for d in districts}) == len(districts), "duplicate district code"
    return {
        "source": SOURCE_LABEL,
        "valid_until": VALID_UNTIL,
        "provinces": provinces,
        "districts": districts,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source_provinces = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    check_mapping(source_provinces)
    data = build(source_provinces)

    OUTPUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    print(f"wrote {OUTPUT_PATH} ({OUTPUT_PATH.stat().st_size} bytes)")
    print(f"provinces: {len(data['provinces'])}")
    print(f"districts: {len(data['districts'])}")
    for new_code, new_province in sorted(PROVINCE_MAPPING.items()):
        olds = [p["name"] for p in data["provinces"] if p["successor_code"] == int(new_code)]
        print(f"  {int(new_code):>2} {new_province.name}: {', '.join(olds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
