"""Stand-in files for the demo: a well-formed PDF, a recognisable product picture."""

import io
import textwrap

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont


def demo_pdf(name: str) -> SimpleUploadedFile:
    """A one-page PDF standing in for a scanned certificate: well-formed, as the upload check requires."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/pdf")


def demo_photo(title: str, index: int, *, of: int | None = 3) -> SimpleUploadedFile:
    """A simple, recognisable picture for a demo product (no stock photos are shipped)."""
    import fontpkg_be_vietnam_pro

    palette = [(179, 38, 30), (30, 122, 69), (11, 87, 164), (138, 90, 0)]
    img = Image.new("RGB", (800, 600), palette[index % len(palette)])
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(fontpkg_be_vietnam_pro.ROOT / "files" / "BeVietnamPro-Bold.ttf"), 44)
    draw.rectangle((40, 40, 760, 560), outline=(242, 201, 76), width=8)
    caption = "\n".join(textwrap.wrap(title, 26)) + (f"\nẢnh {index + 1}/{of}" if of else "")
    draw.multiline_text((80, 200), caption, font=font, fill=(255, 255, 255), spacing=12)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return SimpleUploadedFile(f"{title}-{index % (of or 4) + 1}.jpg", buf.getvalue(), content_type="image/jpeg")
