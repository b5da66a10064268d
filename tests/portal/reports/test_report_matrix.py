"""Who may open each report URL (permission matrix): the pages and the buttons that queue a file by role, and a
report job's progress page and file, which belong to the official who asked for them (and superusers): a
colleague of the same department, staff of another province or a ministry official get 404."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from awards.enums import ExportStatus
from portal.accounts.enums import Role
from portal.core.files import PDF
from portal.models import ReportJob
from portal.reports.urls import urlpatterns
from tests import factories

from .helpers import province

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ("anonymous", "producer", "member", "other_staff", "colleague", "creator", "ministry", "superuser")


def outcomes(*values):
    return dict(zip(ROLES, values, strict=True))


PAGE = outcomes(LOGIN, 403, 403, 403, 200, 200, 200, 200)  # a Cao Bằng report
QUEUE = outcomes(LOGIN, 403, 403, 403, 302, 302, 302, 302)
OWN_JOB = outcomes(LOGIN, 403, 403, 404, 404, 200, 404, 200)
MATRIX = {
    "staff.index": ("get", lambda r: reverse("reports:staff.index"), outcomes(LOGIN, 403, 403, *[200] * 5)),
    "staff.recognitions": ("get", lambda r: reverse("reports:staff.recognitions"), PAGE),
    "staff.extension": ("get", lambda r: reverse("reports:staff.extension"), PAGE),
    "staff.recognitions.xlsx": ("post", lambda r: reverse("reports:staff.recognitions.xlsx"), QUEUE),
    "staff.recognitions.pdf": ("post", lambda r: reverse("reports:staff.recognitions.pdf"), QUEUE),
    "staff.extension.xlsx": ("post", lambda r: reverse("reports:staff.extension.xlsx"), QUEUE),
    "staff.extension.pdf": ("post", lambda r: reverse("reports:staff.extension.pdf"), QUEUE),
    "staff.job": ("get", lambda r: reverse("reports:staff.job", args=[r.pk]), OWN_JOB),
    "staff.job.file": ("get", lambda r: reverse("reports:staff.job.file", args=[r.pk]), OWN_JOB),
}


@pytest.fixture
def users(staff_user, other_staff_user, member_user, producer_user, ministry_user, superuser):
    colleague = factories.UserFactory(role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True)
    return {
        "anonymous": None,
        "producer": producer_user,
        "member": member_user,
        "other_staff": other_staff_user,
        "colleague": colleague,
        "creator": staff_user,
        "ministry": ministry_user,
        "superuser": superuser,
    }


@pytest.fixture
def done_job(staff_user):
    """A finished PDF of a Cao Bằng report, asked for by `staff_user`."""
    now = timezone.now()
    job = ReportJob.objects.create(
        kind="extension",
        fmt="pdf",
        params={"province": province("Cao Bằng").pk, "year_from": 2024, "year_to": 2024, "annex": False},
        title="Tình hình thực hiện công tác khuyến công",
        created_by=staff_user,
        status=ExportStatus.DONE,
        done=3,
        content_type=PDF,
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=72),
    )
    job.file.save("khuyen-cong.pdf", ContentFile(b"%PDF-1.4\n% bao cao\n"))
    return job


def test_matrix_covers_every_report_url():
    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", MATRIX)
def test_report_urls_answer_by_role(client, users, done_job, name, role):
    if users[role] is not None:
        client.force_login(users[role])
    method, target, expected = MATRIX[name]
    params = {"province": province("Cao Bằng").pk, "year_from": 2024, "year_to": 2024}
    before = ReportJob.objects.count()
    with TestCase.captureOnCommitCallbacks(execute=False):  # queued, not built: this is about who may ask
        if method == "post":
            response = client.post(target(done_job), params)
        else:
            response = client.get(target(done_job), params if name in ("staff.recognitions", "staff.extension") else {})
    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected[role]
    if response.streaming:
        assert b"".join(response.streaming_content)
    assert ReportJob.objects.count() - before == (1 if method == "post" and expected[role] == 302 else 0)
