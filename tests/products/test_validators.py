import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from products.validators import JPEG, PDF, PNG, validate_image_upload, validate_upload
from tests import factories


def renamed(uploaded, name):
    return SimpleUploadedFile(name, uploaded.read(), content_type="application/octet-stream")


def photo_jpeg_bytes(progressive=False) -> bytes:
    # Noise, so that most of the file is compressed scan data (a flat colour fits in the headers).
    img = Image.frombytes("RGB", (240, 160), os.urandom(240 * 160 * 3))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, progressive=progressive)
    return buf.getvalue()


def refusal_code(validator, uploaded, **kwargs):
    with pytest.raises(ValidationError) as exc:
        validator(uploaded, **kwargs)
    return exc.value.code


def test_validate_upload_accepts_pdf_jpeg_and_png_documents():
    assert validate_upload(factories.pdf_file()) == PDF
    assert validate_upload(factories.jpeg_file()) == JPEG
    assert validate_upload(factories.png_file()) == PNG


def test_validate_image_upload_accepts_jpeg_and_png():
    assert validate_image_upload(factories.jpeg_file()) == JPEG
    assert validate_image_upload(factories.png_file()) == PNG


def test_png_renamed_pdf_is_recognised_as_png_where_images_are_allowed():
    disguised = renamed(factories.png_file(), "giay-chung-nhan.pdf")
    assert validate_image_upload(disguised) == PNG
    assert validate_upload(disguised) == PNG


def test_png_renamed_pdf_is_refused_where_only_pdf_is_allowed():
    disguised = renamed(factories.png_file(), "giay-chung-nhan.pdf")
    assert refusal_code(validate_upload, disguised, allowed=(PDF,)) == "bad_type"


def test_pdf_renamed_jpg_is_refused_as_photo():
    disguised = renamed(factories.pdf_file(), "anh-san-pham.jpg")
    assert refusal_code(validate_image_upload, disguised) == "bad_type"
    assert validate_upload(disguised) == PDF


def test_text_file_named_jpg_is_refused():
    text = SimpleUploadedFile("anh.jpg", "Đây là văn bản, không phải ảnh".encode(), content_type="image/jpeg")
    assert refusal_code(validate_image_upload, text) == "bad_type"
    assert refusal_code(validate_upload, text) == "bad_type"


def test_oversize_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    big = factories.jpeg_file(size=(200, 200))
    assert big.size > 100
    assert refusal_code(validate_image_upload, big) == "too_large"
    assert refusal_code(validate_upload, factories.pdf_file()) == "too_large"


def test_file_at_the_size_limit_is_accepted(settings):
    pdf = factories.pdf_file()
    settings.UPLOAD_MAX_BYTES = pdf.size
    assert validate_upload(pdf) == PDF


def test_empty_file_is_refused():
    assert refusal_code(validate_upload, SimpleUploadedFile("trong.pdf", b"")) == "empty"
    assert refusal_code(validate_image_upload, SimpleUploadedFile("trong.jpg", b"")) == "empty"


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
@pytest.mark.parametrize("keep", [0.5, 0.95], ids=["half", "end-cut"])
def test_truncated_jpeg_is_refused(progressive, keep):
    data = photo_jpeg_bytes(progressive)
    truncated = SimpleUploadedFile("anh.jpg", data[: int(len(data) * keep)], content_type="image/jpeg")
    assert refusal_code(validate_image_upload, truncated) == "bad_image"


def test_complete_noisy_jpeg_is_accepted():
    data = photo_jpeg_bytes()
    assert validate_image_upload(SimpleUploadedFile("anh.jpg", data)) == JPEG


def test_jpeg_with_damaged_header_is_refused():
    data = bytearray(factories.jpeg_file().read())
    data[20:200] = b"\x00" * 180  # keeps the JPEG signature, destroys the tables after it
    assert refusal_code(validate_image_upload, SimpleUploadedFile("anh.jpg", bytes(data))) == "bad_image"


def test_truncated_png_is_refused():
    data = factories.png_file().read()
    truncated = SimpleUploadedFile("anh.png", data[: len(data) // 2], content_type="image/png")
    assert refusal_code(validate_image_upload, truncated) == "bad_image"


def test_validation_rewinds_the_file_for_saving():
    photo = factories.jpeg_file()
    validate_image_upload(photo)
    assert photo.tell() == 0


def png_declaring(width, height) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_image_declaring_huge_dimensions_is_refused_not_crashing():
    # A few dozen bytes that claim 200 million pixels: Pillow refuses to open it as a decompression bomb, and
    # the producer is told the picture is too large (not that it is damaged).
    bomb = SimpleUploadedFile("bom.png", png_declaring(20000, 10000), content_type="image/png")
    assert refusal_code(validate_image_upload, bomb) == "too_many_pixels"
