"""Producers and products named in the published provincial reports (their real names and provinces),
plus the generated records that let later features reproduce the published counts.

The reports name the establishments but not their tax codes, representatives' titles or addresses beyond
the district: those details are placeholders (valid in form), and every generated record is flagged
`is_generated`. Provinces are recorded as they were when the reports were written (before 1 July 2025):
the portal maps each to today's province.
"""

# (key, name, kind, old province, old district or None, representative, title, tax code, products)
# products: (name, group code, description)
NAMED_PRODUCERS = [
    (
        "tam-hoa",
        "Hợp tác xã Tâm Hòa",
        "cooperative",
        "Cao Bằng",
        "Cao Bằng",
        "Nguyễn Thanh Tâm",
        "Giám đốc",
        "4800150011",
        [
            (
                "Lạp sườn Tâm Hòa",
                "2",
                "Lạp sườn hun khói làm từ thịt lợn địa phương theo công thức truyền thống "
                "Cao Bằng; dây chuyền khép kín, kiểm soát an toàn thực phẩm.",
            ),
            ("Thịt lợn hun khói Tâm Hòa", "2", "Thịt lợn hun khói gác bếp, đóng gói hút chân không."),
        ],
    ),
    (
        "cty-688",
        "Công ty TNHH Một thành viên 688",
        "enterprise",
        "Cao Bằng",
        "Nguyên Bình",
        "Nguyễn Quang Quyền",
        "Giám đốc",
        "4800240688",
        [
            ("Chiếu trúc 688", "1", "Chiếu trúc sào Nguyên Bình; cùng cơ sở làm mành, rèm, bàn ghế, túi xách từ trúc."),
        ],
    ),
    (
        "my-thuyen",
        "Công ty TNHH Mỹ Thuyền",
        "enterprise",
        "Cà Mau",
        "Cà Mau",
        "Trần Văn Thuyền",
        "Giám đốc",
        "2000301234",
        [
            ("Khô mực Mỹ Thuyền", "2", "Khô mực Cà Mau, xuất khẩu sang Thái Lan, Trung Quốc."),
        ],
    ),
    (
        "tan-phat-loi",
        "Hợp tác xã Tân Phát Lợi",
        "cooperative",
        "Cà Mau",
        None,
        "Lê Văn Lợi",
        "Giám đốc",
        "2000455671",
        [
            ("Tôm khô Tân Phát Lợi", "2", "Tôm khô Cà Mau, có mặt trong hệ thống Saigon Co.op, Organica."),
            ("Tôm khô chà bông Tân Phát Lợi", "2", ""),
            ("Bánh phồng tôm Tân Phát Lợi", "2", ""),
            ("Muối tôm Tân Phát Lợi", "2", ""),
        ],
    ),
    (
        "hai-dang",
        "Cơ sở Nguyễn Hải Đăng",
        "household",
        "Cà Mau",
        None,
        "Nguyễn Hải Đăng",
        "Chủ cơ sở",
        "2000567890",
        [
            (
                "Máy cho tôm ăn tự động",
                "3",
                "Máy cho tôm ăn tự động, xuất khẩu sang Trung Quốc, Hàn Quốc, Thái Lan, Philippines, Tây Ban Nha.",
            ),
        ],
    ),
    (
        "vinh-hoa-phat",
        "Công ty Cổ phần Xuất nhập khẩu Vĩnh Hòa Phát",
        "enterprise",
        "Cà Mau",
        None,
        "Phạm Vĩnh Phát",
        "Giám đốc",
        "2001234567",
        [
            (
                "Bánh phồng tôm Vĩnh Hòa Phát",
                "2",
                "Bánh phồng tôm Cà Mau; cơ sở đã lên công ty để ký hợp đồng xuất khẩu.",
            ),
        ],
    ),
    (
        "nam-truong-son",
        "Công ty TNHH Cacao Nam Trường Sơn",
        "enterprise",
        "Đắk Lắk",
        "Buôn Ma Thuột",
        "Lê Nam Trường",
        "Giám đốc",
        "6001098765",
        [
            (
                "Ca cao Nam Trường Sơn",
                "2",
                "Sản phẩm ca cao và sô cô la; máy móc dây chuyền được hỗ trợ từ vốn "
                "khuyến công; xuất khẩu sang Canada, Nhật Bản.",
            ),
        ],
    ),
    (
        "damaca",
        "Công ty TNHH Damaca Nguyên Phương",
        "enterprise",
        "Đắk Lắk",
        None,
        "Nguyễn Phương",
        "Giám đốc",
        "6001123456",
        [
            (
                "Hạt mắc ca Damaca Nguyên Phương",
                "2",
                "Hạt mắc ca chế biến; xuất khẩu sang Nhật Bản, Hàn Quốc, Đài Loan, Canada, Pháp.",
            ),
        ],
    ),
]

# A household business that registered itself after the reform, in today's Cao Bằng: since 1 July 2025 its tax code
# is its owner's 12-digit personal identification number (004 Cao Bằng, 1 a woman born in the 1900s, 88 for 1988).
# (key, name, today's province, representative, title, tax code, address, products)
REGISTERED_HOUSEHOLD = (
    "hkd-nong-thi-mai",
    "Hộ kinh doanh Nông Thị Mai",
    "Cao Bằng",
    "Nông Thị Mai",
    "Chủ hộ kinh doanh",
    "004188012345",
    "Xóm Phja Đén",
    [
        (
            "Miến dong Nông Thị Mai",
            "2",
            "Miến dong làm từ củ dong riềng trồng trên nương, tráng và phơi nắng tự nhiên, không chất tẩy trắng.",
        ),
    ],
)

# Generated records per province (as it was before the reform). The count is the number of products, chosen
# at or above the largest published count for that province, so that recognitions can be attached later:
# Cao Bằng 49 province-level SPCNNTTB and ~100 OCOP products; Đồng Tháp 317 district-level; Cà Mau 73
# province-level; Đắk Lắk 61 province-level; Hà Giang targets of 73 district-level products.
GENERATED_PRODUCTS = {
    "Cao Bằng": ("48", 110),
    "Đồng Tháp": ("14", 330),
    "Cà Mau": ("20", 80),
    "Đắk Lắk": ("60", 70),
    "Hà Giang": ("51", 80),
}

PRODUCT_WORDS = {
    "1": [
        "Mây tre đan",
        "Chiếu cói",
        "Gốm",
        "Thổ cẩm",
        "Nón lá",
        "Đồ gỗ mỹ nghệ",
        "Tranh tre",
        "Giỏ lục bình",
        "Khăn dệt",
        "Hương trầm",
    ],
    "2": [
        "Miến dong",
        "Mật ong",
        "Trà",
        "Bánh khảo",
        "Lạp sườn",
        "Cà phê rang xay",
        "Nước mắm",
        "Khô cá",
        "Bánh phồng",
        "Rượu men lá",
        "Hạt điều rang",
        "Kẹo dừa",
        "Mắm tép",
        "Tương ớt",
        "Bột nghệ",
    ],
    "3": [
        "Máy tuốt lúa",
        "Máy sấy nông sản",
        "Lò đốt trấu",
        "Máy ép mía",
        "Dao rèn",
        "Máy cho cá ăn",
        "Máy băm cỏ",
        "Nông cụ cầm tay",
    ],
    "4": ["Phân bón hữu cơ", "Xà phòng thảo dược", "Tinh dầu", "Nhang sạch", "Than sinh học"],
}
GROUP_WEIGHTS = [("1", 3), ("2", 8), ("3", 2), ("4", 1)]
FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Nông",
    "Triệu",
    "Lâm",
    "Võ",
    "Huỳnh",
]
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Ngọc", "Quang", "Thu", "Hoài"]
GIVEN_NAMES = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hòa",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Lộc",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quyết",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]
ENTERPRISE_WORDS = [
    "Hưng Thịnh",
    "Phát Đạt",
    "An Khang",
    "Thành Công",
    "Hòa Bình",
    "Tân Tiến",
    "Đại Phát",
    "Sao Việt",
    "Hồng Phúc",
    "Trường Thành",
    "Bảo Ngọc",
    "Xanh",
]

# Published SPCNNTTB results (DOMAIN §6), per province as it was recorded before the 1 July 2025 reform:
# level code -> (number of products recognised, years of that level's rounds). The totals are the published
# figures; the reports do not give the years of each round, so the years below are assumptions following the
# usual cadence (region rounds in even years, national rounds the following odd year), except where noted.
# A product recognised at a level was first recognised at the level below, in an earlier year.
PUBLISHED_RECOGNITIONS = {
    # 49 province / 6 region / 2 national. The province round of 2024 is run on the portal by load_demo (its
    # decision recognises 2 products): they count within the 49.
    "Cao Bằng": {
        "province": (49, [2013, 2015, 2017, 2019, 2021]),
        "region": (6, [2014, 2016, 2018, 2020, 2022]),
        "national": (2, [2019, 2021]),
    },
    # 2012–2021: 317 district / 189 province / 38 region / 14 national (district rounds yearly: assumption).
    "Đồng Tháp": {
        "district": (317, [2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020]),
        "province": (189, [2013, 2015, 2017, 2019, 2021]),
        "region": (38, [2014, 2016, 2018, 2020]),
        "national": (14, [2015, 2017, 2019, 2021]),
    },
    # "5 rounds": 73 province / 19 region / 11 national. The source gives only the number of rounds; the five
    # province round years 2013, 2016, 2018, 2021 and 2023 are an assumption.
    "Cà Mau": {
        "province": (73, [2013, 2016, 2018, 2021, 2023]),
        "region": (19, [2014, 2018, 2020, 2022, 2024]),
        "national": (11, [2015, 2019, 2021, 2023]),
    },
    # 2012–2024, rounds every two years from 2017: 61 province / 31 region / 10 national (the rounds before 2017,
    # 2012 and 2015 for the province, 2016 for the region, are an assumption).
    "Đắk Lắk": {
        "province": (61, [2012, 2015, 2017, 2019, 2021, 2023]),
        "region": (31, [2016, 2018, 2020, 2022, 2024]),
        "national": (10, [2017, 2019, 2021, 2023]),
    },
}

# Named products' recognitions: (producer key, product name, [(level code, year), ...]). These count within the
# province totals above.
NAMED_RECOGNITIONS = [
    # Sourced: national level. The years (province 2017, region 2018, national 2019) are an assumption.
    ("tam-hoa", "Lạp sườn Tâm Hòa", [("province", 2017), ("region", 2018), ("national", 2019)]),
    # Sourced: region 2020, national 2021. The province year (2019) is an assumption.
    ("cty-688", "Chiếu trúc 688", [("province", 2019), ("region", 2020), ("national", 2021)]),
    # Cà Mau: named as recognised products in the report; their levels and years are assumptions.
    ("my-thuyen", "Khô mực Mỹ Thuyền", [("province", 2016), ("region", 2018), ("national", 2019)]),
    ("tan-phat-loi", "Tôm khô Tân Phát Lợi", [("province", 2016), ("region", 2018)]),
    ("hai-dang", "Máy cho tôm ăn tự động", [("province", 2018), ("region", 2020), ("national", 2021)]),
    ("vinh-hoa-phat", "Bánh phồng tôm Vĩnh Hòa Phát", [("province", 2021), ("region", 2022)]),
    # Đắk Lắk: named in the report; levels and years are assumptions.
    ("nam-truong-son", "Ca cao Nam Trường Sơn", [("province", 2017), ("region", 2018), ("national", 2019)]),
    ("damaca", "Hạt mắc ca Damaca Nguyên Phương", [("province", 2019), ("region", 2020)]),
]

# Who signs the decisions of each level, as the suffix of the decision number (Nghị định 30/2020 style).
DECISION_SUFFIX = {
    "district": "QĐ-UBND",  # People's Committee of the district
    "province": "QĐ-UBND",  # People's Committee of the province
    "region": "QĐ-CTĐP",  # Cục Công Thương địa phương, Bộ Công Thương
    "national": "QĐ-BCT",  # Bộ Công Thương
}
# Decision numbers known from the sources (DOMAIN §3: the 2021 national decision).
KNOWN_DECISIONS = {("national", 2021): "1997/QĐ-BCT"}
