# TEMPORARY: renders the sample and times 20 renders; deleted after use.
import time
from awards.documents import registration_form_pdf
from .test_registration_pdf import draft, submitted, tam_hoa, tam_hoa_user  # noqa: F401


def test_sample(submitted):
    pdf = registration_form_pdf(submitted)
    open("/tmp/registration-sample.pdf", "wb").write(pdf)


def test_sample_draft(draft):
    open("/tmp/registration-draft.pdf", "wb").write(registration_form_pdf(draft))
