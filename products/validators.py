"""Upload checks: a file is what it claims as a whole, read from its content, never from its name.

A PDF must parse as a PDF (pikepdf/qpdf) without repair and carry no active content; a JPEG or PNG must decode
completely; so must a HEIC/HEIF photo (an iPhone's camera), which is stored converted to JPEG (pillow-heif).
Images are then stored as the portal's own re-encoded copy (orientation applied, metadata dropped,
bounded size), so that what is stored and served is only ever pixels the portal wrote itself."""

import contextlib
import io
import re
import threading

import filetype
import pikepdf
import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from portal.core.files import JPEG, OCTET_STREAM, PDF, PNG, extension_for

# The types stored and served. An upload may also be HEIC/HEIF wherever JPEG is stored: it is stored as JPEG.
DOCUMENT_TYPES = (PDF, JPEG, PNG)
IMAGE_TYPES = (JPEG, PNG)
HEIC, HEIF = "image/heic", "image/heif"
HEIF_TYPES = (HEIC, HEIF)
_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", HEIC: "HEIC", HEIF: "HEIF"}

# The file inputs' `accept`: what the phone's or the computer's picker offers (the server checks the content).
PHOTO_ACCEPT = "image/jpeg,image/png,image/heic,image/heif,.heic,.heif"
DOCUMENT_ACCEPT = f"application/pdf,{PHOTO_ACCEPT}"

# Pillow opens HEIC/HEIF through pillow-heif; only uploads whose content was sniffed as one ever get there.
pillow_heif.register_heif_opener()


def accepted_types(stored_types) -> tuple[str, ...]:
    """What an upload may be for a field that stores `stored_types`: HEIC/HEIF too where JPEG is stored."""
    return tuple(stored_types) + (HEIF_TYPES if JPEG in stored_types else ())


def stored_type(mime: str) -> str:
    """The type the portal stores an accepted upload as: a HEIC/HEIF photo as JPEG, the others as they are."""
    return JPEG if mime in HEIF_TYPES else mime


# Longest side of a stored image: a product photo is looked at on a screen (the public catalogue shows at most
# 1600 px); a scanned document (A4 at 300 dpi is 2480 × 3508) must stay legible.
PHOTO_MAX_SIDE = 2560
DOCUMENT_MAX_SIDE = 4096
# Decoding costs 4 bytes a pixel: past this, an upload of a few MB could take gigabytes (Pillow only warns below
# twice its own limit of 89 million).
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 90

_decoding_lock = threading.Lock()


@contextlib.contextmanager
def _strict_decoding():
    """WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES on import (for its own rendering); an upload
    check must not inherit it, or a truncated photo would pass."""
    with _decoding_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def sniff(uploaded) -> str | None:
    """MIME type suggested by the first bytes of the file, or None. Only a first sorting: content_type_of()
    checks the whole file."""
    uploaded.seek(0)
    head = uploaded.read(261)
    uploaded.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(uploaded, allowed=DOCUMENT_TYPES) -> str:
    """Raise ValidationError with a reason the user can act on; return the recognised MIME type."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": uploaded.name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": uploaded.name}, code="empty")
    return content_type_of(uploaded, allowed, name=uploaded.name)


def validate_image_upload(uploaded) -> str:
    """A JPEG or PNG stored as uploaded (the department's logo, the certificate's emblem)."""
    return validate_upload(uploaded, allowed=IMAGE_TYPES)


def validate_photo_upload(uploaded) -> str:
    """A photo the portal re-encodes: JPEG, PNG, or HEIC/HEIF (converted to JPEG)."""
    return validate_upload(uploaded, allowed=accepted_types(IMAGE_TYPES))


def validate_document_upload(uploaded) -> str:
    """A document the portal stores: PDF, or an image it re-encodes (JPEG, PNG, HEIC/HEIF converted to JPEG)."""
    return validate_upload(uploaded, allowed=accepted_types(DOCUMENT_TYPES))


def content_type_of(handle, allowed=DOCUMENT_TYPES, *, name: str = "") -> str:
    """The type of the whole content, one of `allowed`, or ValidationError naming the file. The handle is left
    at its start."""
    mime = sniff(handle)
    if mime not in allowed:
        raise ValidationError(
            _("The file “%(name)s” is not a %(kinds)s file (its content was checked, not its name).")
            % {"name": name, "kinds": _(" or ").join(_LABELS[m] for m in allowed if m != HEIF)},
            code="bad_type",
        )
    try:
        if mime == PDF:
            _check_pdf(handle, name)
        else:
            _check_image(handle, mime, name)
    finally:
        handle.seek(0)
    return mime


# --- PDF ---------------------------------------------------------------------------------------------------

# Actions that leave the document: run a program, open another file, import or send data, play media.
_LAUNCHING_ACTIONS = {"/Launch", "/GoToR", "/GoToE", "/ImportData", "/SubmitForm", "/Rendition", "/RichMediaExecute"}
_EMBEDDING_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"}
_NESTING_LIMIT = 64
# A link whose address runs a script or opens a local file, not a web page.
_SCRIPT_LINK = re.compile(r"\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def _check_pdf(handle, name: str) -> None:
    handle.seek(0)
    data = handle.read()
    # Whatever follows the last end-of-file marker is no part of the document (an HTML page or another file
    # appended to a real PDF): only line ends and padding may.
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + len(b"%%EOF") :].strip(b" \t\r\n\x00"):
        raise _not_a_pdf(name)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            # qpdf "repairs" what it cannot read by scanning for objects: a file that only begins like a PDF
            # (%PDF-1.4 followed by HTML) or has HTML pushed in front of its objects then opens after warnings
            # about a damaged file and a reconstructed cross-reference table. A real PDF needs no repair.
            damaged = bool(pdf.get_warnings()) or len(pdf.pages) == 0
            active = None if damaged else _active_content(pdf)
    except pikepdf.PasswordError as exc:
        raise ValidationError(
            _("The PDF “%(name)s” is protected by a password; upload a copy without a password.") % {"name": name},
            code="pdf_password",
        ) from exc
    except Exception as exc:  # qpdf raises several kinds on hostile input: each one refuses the file
        raise _not_a_pdf(name) from exc
    if damaged:
        raise _not_a_pdf(name)
    if active:
        raise ValidationError(
            _(
                "The PDF “%(name)s” contains %(what)s, which the portal does not accept in a document. Print it "
                "to a new PDF (or scan the paper copy) and upload that."
            )
            % {"name": name, "what": active},
            code="pdf_active_content",
        )


def _not_a_pdf(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The file “%(name)s” is not a valid PDF document: it is damaged, or it is another kind of file that "
            "only begins like a PDF. Save or scan it again as a PDF and upload that."
        )
        % {"name": name},
        code="bad_pdf",
    )


def _active_content(pdf) -> str | None:
    """What in the PDF would act by itself or carry other files, as words for the user; None for a plain
    document (pages, fonts, images, links to web addresses, a destination to open at)."""
    root = pdf.Root
    # /OpenAction as an array only names the page and zoom to open at; as a dictionary it is an action.
    if isinstance(root.get("/OpenAction"), pikepdf.Dictionary) or "/AA" in root:
        return _("an action that runs when it is opened")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            return _("JavaScript")
        if "/EmbeddedFiles" in names:
            return _("embedded files")
    acroform = root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
        return _("an XFA form")
    for page in pdf.pages:
        if "/AA" in page.obj:
            return _("an action that runs when it is opened")
    # Annotations, form fields, outlines and name trees can all hold actions: look at every object of the
    # file (reachable or not) rather than follow each path.
    for obj in pdf.objects:
        found = _active_object(obj, 0)
        if found:
            return found
    return None


def _active_object(obj, depth: int) -> str | None:
    if depth > _NESTING_LIMIT:
        return _("an action that runs when it is opened")
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        keys = set(obj.keys())
        action = obj.get("/S")
        if "/JS" in keys or action == "/JavaScript":
            return _("JavaScript")
        if action == "/URI" and _SCRIPT_LINK.match(str(obj.get("/URI", ""))):
            return _("JavaScript")
        if action in _LAUNCHING_ACTIONS:
            return _("an action that starts a program, opens another file or sends data")
        if "/AA" in keys:
            return _("an action that runs when it is opened")
        if "/EF" in keys or obj.get("/Type") == "/EmbeddedFile" or obj.get("/Subtype") in _EMBEDDING_SUBTYPES:
            return _("embedded files")
        children = (obj[key] for key in keys)
    elif isinstance(obj, pikepdf.Array):
        children = iter(obj)
    else:
        return None
    for child in children:
        # Indirect objects are visited on their own by the caller's loop over pdf.objects.
        if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
            found = _active_object(child, depth + 1)
            if found:
                return found
    return None


# --- images --------------------------------------------------------------------------------------------------


def _check_image(handle, mime: str, name: str) -> None:
    try:
        handle.seek(0)
        with Image.open(handle) as img:
            _check_pixels(img, name)
            img.verify()
        if mime in HEIF_TYPES:
            # verify() checks nothing of a HEIF image: decode it whole (a photo of a phone, 12 million pixels).
            handle.seek(0)
            with Image.open(handle) as img:
                img.load()
        elif mime == JPEG:
            # verify() reads none of a JPEG's scan data, so a truncated JPEG passes it: decode the file, at 1/8
            # scale (draft) so that a large photo costs little memory.
            handle.seek(0)
            with _strict_decoding(), Image.open(handle) as img:
                img.draft(img.mode, (1, 1))
                img.load()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(name) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise _damaged_image(name) from exc


def _check_pixels(img, name: str) -> None:
    if img.width * img.height > MAX_PIXELS:
        raise ValidationError(
            _("The image “%(name)s” is %(width)s × %(height)s pixels; the limit is %(limit)s million pixels.")
            % {"name": name, "width": img.width, "height": img.height, "limit": MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        )


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("The image “%(name)s” has too many pixels; the limit is %(limit)s million pixels.")
        % {"name": name, "limit": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _damaged_image(name: str) -> ValidationError:
    return ValidationError(
        _("The image “%(name)s” is damaged and cannot be opened.") % {"name": name}, code="bad_image"
    )


def reencoded_image(handle, mime: str, *, max_side: int, name: str = "") -> bytes:
    """The portal's own copy of a checked JPEG or PNG, in the same format (a HEIC/HEIF photo as JPEG): turned
    upright as its EXIF orientation says, converted to sRGB, at most `max_side` pixels on its longest side, without
    EXIF, ICC profile, comments, text chunks or anything after the image data."""
    try:
        handle.seek(0)
        mime = stored_type(mime)
        with _strict_decoding(), Image.open(handle) as img:
            _check_pixels(img, name)
            if mime == JPEG and img.format == "JPEG":
                img.draft(img.mode, (max_side, max_side))  # decode a large JPEG at a reduced scale
            img.load()
            icc = img.info.get("icc_profile")
            image = _srgb(ImageOps.exif_transpose(img), icc)
        if mime == JPEG and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif mime == PNG and image.mode not in ("1", "L", "LA", "RGB", "RGBA"):
            image = image.convert("RGBA")
        if max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        image.info = {}  # Pillow writes some of the source's metadata (comments, ICC, DPI) from here
        out = io.BytesIO()
        if mime == JPEG:
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        else:
            image.save(out, "PNG")
        return out.getvalue()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(name) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _damaged_image(name) from exc
    finally:
        handle.seek(0)


def _srgb(image, icc: bytes | None):
    """Pixels with an embedded colour profile (a phone's Display P3) converted to sRGB, so that dropping the
    profile keeps the colours; left as they are when the profile cannot be read."""
    if not icc or image.mode not in ("RGB", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


# --- what services store ---------------------------------------------------------------------------------------


def stored_upload(uploaded, *, allowed=DOCUMENT_TYPES, max_side: int = DOCUMENT_MAX_SIDE, stem: str = "upload"):
    """Check an upload and return (its stored type, the file to store): a PDF as uploaded, an image re-encoded (a
    HEIC/HEIF photo wherever JPEG is allowed, as JPEG). The file's name is `stem` and the extension of the type,
    which upload_to functions keep."""
    checked = validate_upload(uploaded, accepted_types(allowed))
    mime = stored_type(checked)
    name = f"{stem}.{extension_for(mime)}"
    if mime in IMAGE_TYPES:
        return mime, ContentFile(reencoded_image(uploaded, checked, max_side=max_side, name=uploaded.name), name=name)
    uploaded.name = name
    return mime, uploaded


def legacy_file(handle, *, allowed=DOCUMENT_TYPES, max_side: int = DOCUMENT_MAX_SIDE) -> tuple[str, bytes | None]:
    """The rule for a file stored before these checks (the data migrations apply it): (its type, and for an
    image the re-encoded bytes that replace it, else None). A file that fails any check, whatever its first
    bytes say, is application/octet-stream: only ever offered as a download."""
    try:
        mime = content_type_of(handle, allowed)
        return mime, (reencoded_image(handle, mime, max_side=max_side) if mime in IMAGE_TYPES else None)
    except ValidationError:
        return OCTET_STREAM, None
