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
