"""Templates of a round's dossier documents (a blank "Bản thuyết minh sản phẩm" to fill in), uploaded by the
department on the round's checklist item in the back office and downloaded by producers through the portal's one
file-serving function (awards/views/public.py).

A template is a PDF (checked like every upload: parses without repair, no active content) or a Word document
(.docx: a ZIP holding a Word body, without macros, of bounded unpacked size). Its stored name never reuses what was
uploaded; it is always sent as a download."""

import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.files import DOCX, PDF, extension_for
from products.validators import sniff, validate_upload

TEMPLATE_TYPES = (PDF, DOCX)
TEMPLATE_ACCEPT = f"{PDF},{DOCX},.docx"
DOCX_MAX_UNPACKED = 50 * 1024 * 1024
_DOCX_PARTS = {"[Content_Types].xml", "word/document.xml"}


def template_upload_to(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"round-templates/{timezone.now():%Y/%m}/{uuid.uuid4()}.{ext if ext in ('pdf', 'docx') else 'bin'}"


def checked_template(uploaded) -> str:
    """The type of a template upload (PDF or DOCX), or ValidationError with the reason; the upload is renamed to
    a neutral stem with the extension of that type."""
    if sniff(uploaded) == PDF:
        mime = validate_upload(uploaded, allowed=(PDF,))
    else:
        _check_docx(uploaded)
        mime = DOCX
    uploaded.name = f"template.{extension_for(mime)}"
    return mime


def attach_template(item, uploaded) -> None:
    """Check `uploaded` and store it as the checklist item's template (what the back office's form does)."""
    name = uploaded.name[:255]
    item.template_content_type = checked_template(uploaded)
    item.template_name = name
    item.template = uploaded
    item.save(update_fields=["template", "template_content_type", "template_name"])


def _check_docx(uploaded) -> None:
    refused = ValidationError(
        _("The file “%(name)s” is not a PDF or a Word (.docx) document without macros.") % {"name": uploaded.name},
        code="bad_template",
    )
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if not names >= _DOCX_PARTS or any(name.lower().endswith("vbaproject.bin") for name in names):
                raise refused
            if sum(entry.file_size for entry in entries) > DOCX_MAX_UNPACKED or archive.testzip() is not None:
                raise refused
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise refused from exc
    finally:
        uploaded.seek(0)
