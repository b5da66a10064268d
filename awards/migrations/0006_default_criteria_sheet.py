"""The Phụ lục 4 score sheet (Thông tư 26/2014/TT-BCT): four criterion groups, 100 points. The sub-criteria
and their maxima are defaults the council may change in a new version (DOMAIN: set by the council)."""

from decimal import Decimal

from django.db import migrations

SHEET = [
    ("1", "Đáp ứng nhu cầu thị trường và khả năng phát triển sản xuất", 40, [
        ("1.1", "Khả năng đáp ứng nhu cầu thị trường, thị trường tiêu thụ", 20),
        ("1.2", "Khả năng phát triển, mở rộng sản xuất", 20),
    ]),
    ("2", "Tiêu chí về kinh tế, kỹ thuật, xã hội và môi trường", 40, [
        ("2.1", "Hiệu quả kinh tế", 15),
        ("2.2", "Tính sáng tạo, kỹ thuật và công nghệ sản xuất", 10),
        ("2.3", "Giải quyết việc làm, hiệu quả xã hội", 8),
        ("2.4", "Bảo vệ môi trường, sử dụng tiết kiệm tài nguyên", 7),
    ]),
    ("3", "Tính văn hóa, thẩm mỹ", 10, [
        ("3.1", "Thể hiện bản sắc văn hóa dân tộc, địa phương", 5),
        ("3.2", "Tính thẩm mỹ, kiểu dáng, mẫu mã, bao bì", 5),
    ]),
    ("4", "Các tiêu chí khác", 10, [
        ("4.1", "Sản phẩm đã đạt giải thưởng, chứng nhận chất lượng", 5),
        ("4.2", "Tiêu chí khác do Hội đồng quy định", 5),
    ]),
]


def load(apps, schema_editor):
    Programme = apps.get_model("awards", "Programme")
    CriteriaSheet = apps.get_model("awards", "CriteriaSheet")
    Criterion = apps.get_model("awards", "Criterion")
    programme = Programme.objects.get(code="spcnnttb")
    sheet, created = CriteriaSheet.objects.get_or_create(
        programme=programme, code="phu-luc-4", version=1,
        defaults={"name": "Phiếu chấm điểm sản phẩm CNNT tiêu biểu (Phụ lục 4)"},
    )
    if not created:
        return
    order = 0
    for code, title, max_points, children in SHEET:
        order += 1
        group = Criterion.objects.create(sheet=sheet, code=code, title=title, max_points=Decimal(max_points),
                                         order=order)
        for child_code, child_title, child_max in children:
            order += 1
            Criterion.objects.create(sheet=sheet, parent=group, code=child_code, title=child_title,
                                     max_points=Decimal(child_max), order=order)


class Migration(migrations.Migration):
    dependencies = [("awards", "0005_councils_and_scoring")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
