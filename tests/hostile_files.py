"""Files a hostile uploader might send, for the upload checks and the file-serving tests: a file that begins like a
PDF and continues as an HTML page driving the portal's own htmx, and well-formed PDFs carrying active content."""

import io

import pikepdf

from tests import factories


def attack_page(*, sheet_url: str, criterion_pk: int, points: int = 20) -> str:
    """The page of the finding: opened as HTML on the portal's origin, it loads the portal's htmx from /static/,
    fetches the member's score sheet for its CSRF token and posts a score with it."""
    return f"""<!doctype html><html><head><meta charset="utf-8">
<script src="/static/django_htmx/htmx-2.min.js"></script></head><body>
<div hx-get="{sheet_url}" hx-trigger="load" hx-select="input[name=csrfmiddlewaretoken]" hx-target="#sheet"
     hx-swap="beforeend"></div>
<form id="sheet" hx-post="{sheet_url}" hx-trigger="htmx:afterSettle from:body once">
  <input name="c{criterion_pk}" value="{points}"><input name="save" value="">
</form>
<p>Biên bản bổ sung</p></body></html>"""


def polyglot(html: str = "<html><body><script>alert(document.domain)</script></body></html>") -> bytes:
    """`%PDF-1.4` and then an HTML page: the first bytes say PDF, the rest is not one."""
    return b"%PDF-1.4\n" + html.encode()


def html_before_a_real_pdf(html: str = "<html><body><script>alert(1)</script></body></html>") -> bytes:
    """A real PDF with an HTML page pushed in after its header: qpdf still finds the objects, by repairing it."""
    good = factories.pdf_bytes()
    header, rest = good.split(b"\n", 1)
    return header + b"\n" + html.encode() + b"\n" + rest


def _saved(pdf) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return buf.getvalue()


def _one_page():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    return pdf


def pdf_with_open_action_javascript() -> bytes:
    pdf = _one_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    return _saved(pdf)


def pdf_with_open_destination() -> bytes:
    """/OpenAction as a destination (open at page 1, whole page): no action, an ordinary PDF."""
    pdf = _one_page()
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    return _saved(pdf)


def pdf_with_embedded_file() -> bytes:
    pdf = _one_page()
    pdf.attachments["hoa-don.html"] = pikepdf.AttachedFileSpec(pdf, b"<script>alert(1)</script>")
    return _saved(pdf)


def pdf_with_names_javascript() -> bytes:
    pdf = _one_page()
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), action]))
    )
    return _saved(pdf)


def pdf_with_link(action: pikepdf.Dictionary) -> bytes:
    """A link annotation on page 1 that runs `action` when clicked."""
    pdf = _one_page()
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=pikepdf.Array([0, 0, 100, 100]), A=action
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    return _saved(pdf)


def pdf_with_javascript_link() -> bytes:
    return pdf_with_link(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))


def pdf_with_javascript_uri_link() -> bytes:
    """A "web" link whose address is a script."""
    return pdf_with_link(pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(" JavaScript:alert(3)")))


def html_after_a_real_pdf(html: str = "<html><body><script>alert(1)</script></body></html>") -> bytes:
    """A real PDF with an HTML page appended after its end-of-file marker."""
    return _saved(_one_page()) + html.encode()


def pdf_with_launch_link() -> bytes:
    return pdf_with_link(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")))


def pdf_with_web_link() -> bytes:
    """A link to a web address: an ordinary PDF."""
    return pdf_with_link(pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://congthuong.gov.vn/")))


def pdf_with_page_additional_action() -> bytes:
    pdf = _one_page()
    pdf.pages[0].obj.AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )
    return _saved(pdf)


def pdf_with_xfa() -> bytes:
    pdf = _one_page()
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    )
    return _saved(pdf)


def encrypted_pdf() -> bytes:
    pdf = _one_page()
    buf = io.BytesIO()
    pdf.save(buf, encryption=pikepdf.Encryption(user="mat-khau", owner="mat-khau"))
    return buf.getvalue()


def jpeg_with_exif(size=(60, 40), orientation=6) -> bytes:
    """A phone photo: EXIF with a GPS position and an orientation (6: the camera was turned, show it rotated
    90° clockwise), and a comment."""
    from PIL import Image

    img = Image.new("RGB", size, (200, 40, 40))
    exif = img.getexif()
    exif[0x0112] = orientation
    exif[0x010F] = "Điện thoại"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (22.0, 40.0, 0.0), 3: "E", 4: (106.0, 15.0, 0.0)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, comment=b"Toa do vuon nha")
    return buf.getvalue()
