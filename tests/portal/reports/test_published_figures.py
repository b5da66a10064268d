"""On the demo data, the two reports reproduce the figures the provinces published (DOMAIN §6) exactly: on the
preview page, in the Excel workbook (values, bold totals, number formats) and in the PDF text (exact diacritics).

One test function per report: load_demo takes several seconds."""

import pytest
from django.core.management import call_command

from awards.models import Recognition
from portal.accounts.models import User

from .helpers import cells_of, get, old_province, pdf_text, province, row_starting, text_of, values, workbook

pytestmark = pytest.mark.django_db

PUBLISHED_RECOGNITIONS = {
    # old province, period: (district/commune, province, region, national)
    ("Cao Bằng", 2012, 2025): (0, 49, 6, 2),
    ("Đồng Tháp", 2012, 2021): (317, 189, 38, 14),
    ("Cà Mau", 2012, 2025): (0, 73, 19, 11),
    ("Đắk Lắk", 2012, 2024): (0, 61, 31, 10),
}


def admin_client(client):
    call_command("load_demo", verbosity=0)
    client.force_login(User.objects.get(email="quantri@cnnt.demo"))
    return client


def test_the_recognitions_report_reproduces_the_published_figures(client, demo_data):
    admin_client(client)

    for (name, start, end), counts in PUBLISHED_RECOGNITIONS.items():
        unit = old_province(name)
        html = get(client, "recognitions", unit, start, end).content.decode()
        expected = [f"{n:,}".replace(",", ".") for n in (*counts, sum(counts))]
        assert cells_of(html, "year-total") == ["Tổng cộng", *expected], name

        sheet = workbook(get(client, "recognitions", unit, start, end, "xlsx"))["Tổng hợp"]
        total = row_starting(sheet, "Tổng cộng")
        assert values(total) == ["Tổng cộng", *counts, sum(counts)], name
        assert all(cell.font.b for cell in total[: len(counts) + 2])
        assert {cell.number_format for cell in total[1 : len(counts) + 2]} == {"#,##0"}

        text = pdf_text(get(client, "recognitions", unit, start, end, "pdf"))
        assert "TỔNG HỢP KẾT QUẢ BÌNH CHỌN SẢN PHẨM CÔNG NGHIỆP NÔNG" in text
        assert f"{unit.full_name} (trước ngày 01/7/2025)" in text
        assert "Tổng cộng " + " ".join(expected) in text, name

    # Hà Giang 2022–2030 (merged into Tuyên Quang): targets 73 district / 63 province, 2022: 12 / 10, against the
    # recognitions of producers registered in Hà Giang (district and commune counted alike).
    ha_giang, tuyen_quang = old_province("Hà Giang"), province("Tuyên Quang")

    def actual(rank, start, end):
        return Recognition.objects.filter(
            product__producer__province=ha_giang, level__rank=rank, year__gte=start, year__lte=end
        ).count()

    expected_rows = [
        ["Tỉnh Hà Giang (trước 01/7/2025)", "2022–2030", "2022–2030", "Cấp huyện / Cấp xã", 73, actual(1, 2022, 2030)],
        ["Tỉnh Hà Giang (trước 01/7/2025)", "2022–2030", "2022–2030", "Cấp tỉnh", 63, actual(2, 2022, 2030)],
        ["Tỉnh Hà Giang (trước 01/7/2025)", "2022–2030", "2022", "Cấp huyện / Cấp xã", 12, actual(1, 2022, 2022)],
        ["Tỉnh Hà Giang (trước 01/7/2025)", "2022–2030", "2022", "Cấp tỉnh", 10, actual(2, 2022, 2022)],
    ]
    assert actual(1, 2022, 2022) > 0  # the demo's assumed results exist
    assert actual(2, 2022, 2022) > 0
    response = get(client, "recognitions", tuyen_quang, 2022, 2030)
    html = response.content.decode()
    assert "Tỉnh Tuyên Quang (gồm cả tỉnh Hà Giang trước đây)" in text_of(html)
    shown = [
        row[:6] for row in (cells_of(html, f"target-{t['target'].pk}") for t in response.context["report"]["targets"])
    ]
    assert shown == [
        [r[0], r[2], r[3], str(r[4]), str(r[5]), f"{round(r[5] * 100 / r[4])} %"][:6] for r in expected_rows
    ]
    sheet = workbook(get(client, "recognitions", tuyen_quang, 2022, 2030, "xlsx"))["Chỉ tiêu"]
    header = row_starting(sheet, "Tỉnh/thành phố")
    rows = [values(row)[:6] for row in sheet.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + 4)]
    assert rows == expected_rows
    assert row_starting(sheet, "Tỉnh Hà Giang (trước 01/7/2025)")[4].number_format == "#,##0"
    text = pdf_text(get(client, "recognitions", tuyen_quang, 2022, 2030, "pdf"))
    assert f"2022 Cấp tỉnh 10 {actual(2, 2022, 2022)}" in text
    assert f"2022–2030 Cấp huyện / Cấp xã 73 {actual(1, 2022, 2030)}" in text
    # The old province as it was shows the same targets; a period after them shows none.
    assert len(get(client, "recognitions", ha_giang, 2022, 2022).context["report"]["targets"]) == 4
    assert get(client, "recognitions", tuyen_quang, 2031, 2032).context["report"]["targets"] == []

    # Cao Bằng OCOP at the end of 2025: 9 × 4★ and 88 × 3★, against the 2025 plan (150 ≥ 3★, 10 × 4★, 1 × 5★).
    html = get(client, "recognitions", province("Cao Bằng"), 2021, 2025).content.decode()
    assert cells_of(html, "ocop-4") == ["4★", "9"]
    assert cells_of(html, "ocop-3") == ["3★", "88"]
    assert cells_of(html, "ocop-target-at_least_3-2025")[:4] == ["Sản phẩm đạt từ 3★ trở lên", "2025", "150", "97"]
    assert cells_of(html, "ocop-target-four-2025")[:4] == ["Sản phẩm đạt 4★", "2025", "10", "9"]
    assert cells_of(html, "ocop-target-five-2025")[:4] == ["Sản phẩm đạt 5★", "2025", "1", "0"]

    # The annex lists every recognised product of the period, on a sheet of its own.
    book = workbook(get(client, "recognitions", old_province("Cao Bằng"), 2012, 2025, "xlsx", annex="on"))
    annex = book["Phụ lục"]
    numbers = [row[0].value for row in annex.iter_rows(min_row=row_starting(annex, "STT")[0].row + 1)]
    assert numbers == list(range(1, 58))
    assert "Lạp sườn Tâm Hòa" in [row[3].value for row in annex.iter_rows()]


def test_the_extension_report_reproduces_the_published_figures(client, demo_data):
    admin_client(client)
    cao_bang = old_province("Cao Bằng")

    # Cao Bằng 2018–2022: 44 projects, 12.31 billion (24 local, 20 national); 257 participations in 124 fairs.
    response = get(client, "extension", cao_bang, 2018, 2022)
    html = response.content.decode()
    assert cells_of(html, "figure-projects") == ["Đề án", "44"]
    assert cells_of(html, "figure-total") == ["Tổng kinh phí (đồng)", "12.310.000.000"]
    assert cells_of(html, "source-local")[:2] == ["Kinh phí khuyến công địa phương (KCĐP)", "24"]
    assert cells_of(html, "source-national")[:2] == ["Kinh phí khuyến công quốc gia (KCQG)", "20"]
    assert cells_of(html, "fairs-total")[:3] == ["Tổng cộng", "124", "257"]
    book = workbook(get(client, "extension", cao_bang, 2018, 2022, "xlsx"))
    sheet = book["Tổng hợp"]
    assert sheet["A1"].value == "UBND TỈNH CAO BẰNG"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [c.value for c in sheet[1]]
    assert "Độc lập - Tự do - Hạnh phúc" in [c.value for c in sheet[2]]
    assert sheet["A5"].value == "TÌNH HÌNH THỰC HIỆN CÔNG TÁC KHUYẾN CÔNG"
    assert sheet["A6"].value == "Tỉnh Cao Bằng (trước ngày 01/7/2025)"
    assert sheet["A7"].value == "Giai đoạn 2018–2022"
    total = row_starting(sheet, "Tổng kinh phí (đồng)")
    assert total[1].value == 12_310_000_000
    assert total[1].number_format == "#,##0"
    sources_total = row_starting(sheet, "Tổng cộng")
    assert values(sources_total)[:2] == ["Tổng cộng", 44]
    assert sources_total[4].value == 12_310_000_000
    assert sources_total[4].font.b
    assert sources_total[4].number_format == "#,##0"
    assert values(row_starting(sheet, "Kinh phí khuyến công địa phương (KCĐP)"))[1] == 24
    assert values(row_starting(sheet, "Kinh phí khuyến công quốc gia (KCQG)"))[1] == 20
    assert sheet.freeze_panes is not None
    assert values(row_starting(book["Hội chợ, triển lãm"], "Tổng cộng"))[:3] == ["Tổng cộng", 124, 257]
    text = pdf_text(get(client, "extension", cao_bang, 2018, 2022, "pdf"))
    assert "TÌNH HÌNH THỰC HIỆN CÔNG TÁC KHUYẾN CÔNG" in text
    assert "Tổng kinh phí (đồng) 12.310.000.000" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text

    # Cao Bằng 2022: 9 projects, 1.075 billion (7 local, 2 national), with the source's split flagged.
    html = get(client, "extension", cao_bang, 2022, 2022).content.decode()
    assert cells_of(html, "figure-projects") == ["Đề án", "9"]
    assert cells_of(html, "figure-total") == ["Tổng kinh phí (đồng)", "1.075.000.000"]
    assert cells_of(html, "source-local")[1] == "7"
    assert cells_of(html, "source-national")[1] == "2"
    assert 'id="data-quality-flag"' in html
    assert "850 triệu + 900 triệu" in text_of(html)
    book = workbook(get(client, "extension", cao_bang, 2022, 2022, "xlsx"))
    assert any("9 đề án có ghi chú về chất lượng số liệu" in str(c.value) for c in book["Tổng hợp"]["A"])
    note = row_starting(book["Ghi chú số liệu"], 9)
    assert "850 triệu + 900 triệu = 1.750 triệu" in note[3].value
    text = pdf_text(get(client, "extension", cao_bang, 2022, 2022, "pdf"))
    assert "9 đề án của giai đoạn này có ghi chú về chất lượng số liệu" in text
    assert "1.075.000.000" in text
    assert 'id="data-quality-flag"' not in get(client, "extension", cao_bang, 2018, 2021).content.decode()

    # Đồng Tháp 2012–2021: 58 equipment projects for 69 establishments, 11.236 billion.
    dong_thap = old_province("Đồng Tháp")
    html = get(client, "extension", dong_thap, 2012, 2021).content.decode()
    equipment = cells_of(html, "type-equipment")
    assert equipment[1:] == ["58", "11.236.000.000"]
    assert cells_of(html, "figure-establishments")[1] == "69"
    sheet = workbook(get(client, "extension", dong_thap, 2012, 2021, "xlsx"))["Tổng hợp"]
    assert values(row_starting(sheet, equipment[0]))[1:3] == [58, 11_236_000_000]
    assert values(row_starting(sheet, "Số cơ sở được hỗ trợ")) == ["Số cơ sở được hỗ trợ", 69]

    # Cà Mau: 19.51 billion (4.55 national + 14.96 local), 1,759 jobs, 205 billion of private investment.
    ca_mau = old_province("Cà Mau")
    html = get(client, "extension", ca_mau, 2012, 2025).content.decode()
    assert cells_of(html, "source-national")[-1] == "4.550.000.000"
    assert cells_of(html, "source-local")[-1] == "14.960.000.000"
    assert cells_of(html, "figure-total")[1] == "19.510.000.000"
    assert cells_of(html, "figure-jobs")[1] == "1.759"
    assert cells_of(html, "figure-investment")[1] == "205.000.000.000"
    sheet = workbook(get(client, "extension", ca_mau, 2012, 2025, "xlsx"))["Tổng hợp"]
    assert values(row_starting(sheet, "Việc làm tạo ra")) == ["Việc làm tạo ra", 1_759]
    assert values(row_starting(sheet, "Vốn đầu tư xã hội thu hút (đồng)"))[1] == 205_000_000_000
    text = pdf_text(get(client, "extension", ca_mau, 2012, 2025, "pdf"))
    assert "Tổng cộng 48 19.510.000.000 0 19.510.000.000" in text

    # Đắk Lắk 2012–2024: 242 projects, 107,505 million (5,586 national, 21,895 local, 80,024 counterpart);
    # 2 training projects / 80 workers, 45 courses / 2,309 trainees, 195 equipment, 15 trademark projects.
    dak_lak = old_province("Đắk Lắk")
    html = get(client, "extension", dak_lak, 2012, 2024).content.decode()
    assert cells_of(html, "figure-projects")[1] == "242"
    assert cells_of(html, "source-national")[-1] == "5.586.000.000"
    assert cells_of(html, "source-local")[-1] == "21.895.000.000"
    assert cells_of(html, "source-counterpart")[-1] == "80.024.000.000"
    assert cells_of(html, "figure-total")[1] == "107.505.000.000"
    assert cells_of(html, "type-vocational-training")[1] == "2"
    assert cells_of(html, "type-equipment")[1] == "195"
    assert cells_of(html, "type-trademark")[1] == "15"
    outputs = dict(
        zip(["name", "trainees", "workers", "courses"], cells_of(html, "outputs-management-training")[:4], strict=True)
    )
    assert (outputs["trainees"], outputs["courses"]) == ("2.309", "45")
    assert cells_of(html, "outputs-vocational-training")[2] == "80"
    sheet = workbook(get(client, "extension", dak_lak, 2012, 2024, "xlsx"))["Tổng hợp"]
    assert values(row_starting(sheet, "Vốn đối ứng của cơ sở"))[-1] == 80_024_000_000
    assert values(row_starting(sheet, "Tổng kinh phí (đồng)"))[1] == 107_505_000_000
    text = pdf_text(get(client, "extension", dak_lak, 2012, 2024, "pdf"))
    for figure in ("5.586.000.000", "21.895.000.000", "80.024.000.000", "107.505.000.000", "2.309"):
        assert figure in text
