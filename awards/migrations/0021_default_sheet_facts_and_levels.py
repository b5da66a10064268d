"""The Phụ lục 4 sheet (migration 0006) gets what the member scores from: the dossier's facts shown next to each
criterion group, and what each score level of a sub-criterion means. Defaults the council may change in a new
version of the sheet; a sheet edited since is left as it is."""

from django.db import migrations

FACTS = {
    "1": ["market", "capacity"],
    "2": ["capacity", "labour", "raw_materials", "description"],
    "3": ["description", "photos"],
    "4": ["documents"],
}

LEVELS = {
    "1.1": [
        ("Trên 15 đến 20", "Tiêu thụ ổn định ở nhiều tỉnh, thành phố hoặc đã xuất khẩu; có kênh phân phối rõ ràng"),
        ("Trên 7 đến 15", "Tiêu thụ trong tỉnh và một số tỉnh lân cận"),
        ("0 đến 7", "Chủ yếu tiêu thụ tại địa phương, thị trường chưa ổn định"),
    ],
    "1.2": [
        ("Trên 15 đến 20", "Năng lực sản xuất lớn, ổn định; có kế hoạch và điều kiện mở rộng quy mô"),
        ("Trên 7 đến 15", "Sản xuất ổn định, có khả năng mở rộng khi thị trường cần"),
        ("0 đến 7", "Sản xuất nhỏ lẻ, theo mùa vụ, khó mở rộng"),
    ],
    "2.1": [
        ("Trên 11 đến 15", "Doanh thu cao, có lãi ổn định, đóng góp rõ cho kinh tế địa phương"),
        ("Trên 5 đến 11", "Doanh thu khá, có lãi"),
        ("0 đến 5", "Doanh thu thấp, hiệu quả kinh tế chưa rõ"),
    ],
    "2.2": [
        ("Trên 7 đến 10", "Có cải tiến kỹ thuật, ứng dụng công nghệ, thiết bị mới trong sản xuất"),
        ("Trên 3 đến 7", "Kết hợp kỹ thuật truyền thống với cơ giới hóa một số công đoạn"),
        ("0 đến 3", "Kỹ thuật sản xuất đơn giản, chưa có cải tiến"),
    ],
    "2.3": [
        ("Trên 5 đến 8", "Tạo việc làm ổn định cho nhiều lao động địa phương, thu nhập khá"),
        ("Trên 2 đến 5", "Tạo việc làm cho một số lao động địa phương"),
        ("0 đến 2", "Sử dụng ít lao động, chủ yếu lao động trong gia đình"),
    ],
    "2.4": [
        ("Trên 4 đến 7", "Nguyên liệu tại chỗ, sử dụng tiết kiệm; có biện pháp xử lý chất thải, không gây ô nhiễm"),
        ("Trên 2 đến 4", "Nguyên liệu phần lớn trong nước; có biện pháp bảo vệ môi trường cơ bản"),
        ("0 đến 2", "Tiêu tốn nhiều tài nguyên hoặc chưa có biện pháp xử lý chất thải"),
    ],
    "3.1": [
        ("Trên 3 đến 5", "Thể hiện rõ nét bản sắc văn hóa dân tộc, đặc trưng của địa phương"),
        ("Trên 1 đến 3", "Có yếu tố văn hóa truyền thống, địa phương"),
        ("0 đến 1", "Chưa thể hiện bản sắc văn hóa"),
    ],
    "3.2": [
        ("Trên 3 đến 5", "Kiểu dáng, mẫu mã đẹp, độc đáo; bao bì, nhãn mác đầy đủ, hấp dẫn"),
        ("Trên 1 đến 3", "Mẫu mã khá; bao bì, nhãn mác đạt yêu cầu"),
        ("0 đến 1", "Mẫu mã đơn giản, chưa có bao bì, nhãn mác phù hợp"),
    ],
    "4.1": [
        ("Trên 3 đến 5", "Đã đạt giải thưởng cấp khu vực, quốc gia hoặc có chứng nhận chất lượng (ISO, VietGAP, OCOP…)"),
        ("Trên 1 đến 3", "Đã đạt giải thưởng cấp tỉnh hoặc đã công bố chất lượng sản phẩm"),
        ("0 đến 1", "Chưa có giải thưởng, chứng nhận"),
    ],
    "4.2": [
        ("0 đến 5", "Theo tiêu chí Hội đồng quy định và công bố trước khi chấm điểm"),
    ],
}


def load(apps, schema_editor):
    Criterion = apps.get_model("awards", "Criterion")
    for criterion in Criterion.objects.filter(sheet__code="phu-luc-4", sheet__version=1):
        if criterion.parent_id is None and not criterion.facts and criterion.code in FACTS:
            criterion.facts = FACTS[criterion.code]
            criterion.save(update_fields=["facts"])
        elif criterion.parent_id is not None and not criterion.levels and criterion.code in LEVELS:
            criterion.levels = [{"points": p, "description": d} for p, d in LEVELS[criterion.code]]
            criterion.save(update_fields=["levels"])


class Migration(migrations.Migration):
    dependencies = [("awards", "0020_criterion_facts_and_levels")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
