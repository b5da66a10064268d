"""The streaming merge used for the bulk certificate export: pages in order, text and fonts intact, readable by
strict parsers and renderable, inherited page attributes kept."""

import io

import pypdfium2
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, RectangleObject
from weasyprint import HTML

from awards.pdf_merge import merge_pdfs


def weasy_pdf(path, *texts):
    pages = "".join(f'<section style="page-break-after: always">{t}</section>' for t in texts)
    path.write_bytes(HTML(string=f"<html><body>{pages}</body></html>").write_pdf())
    return path


def texts(path):
    return [" ".join(page.extract_text().split()) for page in PdfReader(path, strict=True).pages]


def test_pages_come_out_in_order_with_their_vietnamese_text(tmp_path):
    parts = [
        weasy_pdf(tmp_path / "a.pdf", "Lạp sườn Tâm Hòa"),
        weasy_pdf(tmp_path / "b.pdf", "Chiếu trúc Nguyên Bình", "Trang hai của Đắk Lắk"),
        weasy_pdf(tmp_path / "c.pdf", "Khô mực Mỹ Thuyền"),
    ]
    out = tmp_path / "merged.pdf"

    assert merge_pdfs(parts, out) == 4

    assert texts(out) == ["Lạp sườn Tâm Hòa", "Chiếu trúc Nguyên Bình", "Trang hai của Đắk Lắk", "Khô mực Mỹ Thuyền"]
    document = pypdfium2.PdfDocument(str(out))
    assert len(document) == 4
    bitmap = document[3].render(scale=0.5).to_pil()
    assert bitmap.convert("L").getextrema()[0] < 100  # something dark (the text) is drawn on the last page


def test_attributes_inherited_from_the_old_page_tree_are_kept(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    page = writer.pages[0]
    del page[NameObject("/MediaBox")]
    writer._root_object["/Pages"][NameObject("/MediaBox")] = RectangleObject([0, 0, 842, 595])
    buffer = io.BytesIO()
    writer.write(buffer)
    part = tmp_path / "inherited.pdf"
    part.write_bytes(buffer.getvalue())
    out = tmp_path / "merged.pdf"

    merge_pdfs([part, weasy_pdf(tmp_path / "a4.pdf", "A4")], out)

    reader = PdfReader(out, strict=True)
    assert [tuple(round(float(v)) for v in p.mediabox) for p in reader.pages] == [(0, 0, 842, 595), (0, 0, 595, 842)]


def test_no_parts_gives_an_empty_but_valid_document(tmp_path):
    out = tmp_path / "merged.pdf"
    assert merge_pdfs([], out) == 0
    assert len(PdfReader(out, strict=True).pages) == 0


@pytest.mark.parametrize("count", [25])
def test_many_parts(tmp_path, count):
    parts = [weasy_pdf(tmp_path / f"{i}.pdf", f"Giấy chứng nhận số {i}") for i in range(count)]
    out = tmp_path / "merged.pdf"
    merge_pdfs(parts, out)
    assert texts(out) == [f"Giấy chứng nhận số {i}" for i in range(count)]
