"""Activity types of khuyến công (Nghị định 45/2012, amended by Nghị định 235/2025) with the outputs each
reports, and the one support limit a province reported (demonstration equipment: at most 50 % of the cost and
300 million VND per establishment). All data, editable in the admin."""

from django.db import migrations

TYPES = [
    # code, name, outputs
    ("vocational-training", "Đào tạo nghề, truyền nghề, nâng cao tay nghề", ["trainees", "workers_trained", "courses"]),
    ("management-training", "Đào tạo, tập huấn nâng cao năng lực quản lý", ["trainees", "courses"]),
    ("demonstration-model", "Xây dựng mô hình trình diễn kỹ thuật", ["machines"]),
    ("equipment", "Hỗ trợ ứng dụng máy móc, thiết bị tiên tiến, chuyển giao công nghệ", ["machines"]),
    ("trademark", "Hỗ trợ xây dựng, đăng ký thương hiệu, phát triển sản phẩm", ["trademarks"]),
    ("trade-promotion", "Hỗ trợ tham gia hội chợ, triển lãm, xúc tiến thương mại", ["booths"]),
    ("product-awards", "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu", []),
    ("consultancy", "Tư vấn, cung cấp thông tin", []),
    ("cleaner-production", "Sản xuất sạch hơn", ["machines"]),
    ("cluster-links", "Hỗ trợ liên doanh, liên kết, phát triển cụm công nghiệp", []),
]


def load(apps, schema_editor):
    ActivityType = apps.get_model("extension_projects", "ActivityType")
    SupportLimit = apps.get_model("extension_projects", "SupportLimit")
    for order, (code, name, outputs) in enumerate(TYPES, start=1):
        ActivityType.objects.get_or_create(code=code, defaults={"name": name, "order": order, "outputs": outputs})
    equipment = ActivityType.objects.get(code="equipment")
    for year in range(2021, 2027):
        SupportLimit.objects.get_or_create(
            activity_type=equipment,
            source="local",
            plan_year=year,
            defaults={
                "max_amount": 300_000_000,
                "max_share_percent": 50,
                "note": "Tối đa 50% chi phí và không quá 300 triệu đồng/cơ sở.",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("extension_projects", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
