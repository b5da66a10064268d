"""Who reaches what through every URL of the back office: each ModelAdmin's URL patterns (changelist, add, change,
delete, history, history version, import / export, password, each action) and the site's own, for each role, on a
record of province A (Cao Bằng) and one of province B (Cà Mau).

Every signed-in role here carries the admin-access flag and the department staff's permission group, the worst a
careless superuser could set up: what keeps a producer, a council member or a ministry official out of records (and
staff of B out of A's) must be the access model, not the flag.

`EXPECTED` has a row per registered model and `SITE` / `AUTOCOMPLETE` one per site URL and autocomplete field: a new
model, URL pattern, action or autocomplete field without a row fails `test_every_admin_url_has_a_row`."""

import dataclasses
import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from awards.models import (
    Level,
    OcopCriteriaSet,
    OcopStarBand,
    Programme,
    Region,
    SigningCertificate,
)
from extension_projects.models import ActivityType, ProjectCodeRule, SupportLimit
from portal.accounts.enums import Role
from portal.accounts.roles import ensure_staff_group
from portal.core.admin import admin_access_problems
from portal.core.messaging.models import OutgoingMail
from portal.models import SiteIdentity
from products.models import DocumentType, ProductGroup
from tests import factories

from .world import A, B, province_world, staff_of

ROLES = ("anonymous", "producer", "member", "staff_a", "staff_b", "ministry", "superuser")
SIDES = ("A", "B")


# -- who, as a function of the role and the record's province ------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Who:
    """Which roles a URL answers: `own_staff` the staff of the record's province (of any province for URLs without
    a record), `any_staff` every province's staff, `ministry` ministry officials, `superuser` superusers."""

    name: str
    superuser: bool = False
    own_staff: bool = False
    any_staff: bool = False
    ministry: bool = False

    def allows(self, role: str, side: str | None) -> bool:
        if role == "superuser":
            return self.superuser
        if role in ("staff_a", "staff_b"):
            return self.any_staff or (self.own_staff and side in (None, role[-1].upper()))
        return role == "ministry" and self.ministry

    def __repr__(self):
        return self.name


NOBODY = Who("NOBODY")
SUPER = Who("SUPER", superuser=True)
REFERENCE = Who("REFERENCE", superuser=True, any_staff=True, ministry=True)  # reference data: read by all
STAFF = Who("STAFF", superuser=True, own_staff=True)  # the record's province's staff
STAFF_MINISTRY = Who("STAFF_MINISTRY", superuser=True, own_staff=True, ministry=True)


@dataclasses.dataclass(frozen=True)
class Row:
    """One registered model: read (changelist, change page, history, export), write (the change page editable),
    add, delete; `history_detail` for SimpleHistoryAdmin's version page, `spreadsheets` for the import pages,
    `export`, `password` (accounts) and each action, each given exactly when the admin has that URL."""

    read: Who
    write: Who = NOBODY
    add: Who = NOBODY
    delete: Who = SUPER
    history_detail: Who | None = None
    spreadsheets: Who | None = None
    export: Who | None = None
    password: Who | None = None
    actions: dict = dataclasses.field(default_factory=dict)


def reference_row(**extra):
    return Row(read=REFERENCE, write=SUPER, add=SUPER, **extra)


def superuser_row(**extra):
    return Row(read=SUPER, write=SUPER, **extra)


def registry_row(**extra):
    """A record of a province: read by its staff and the ministry, changed and added by its staff."""
    return Row(read=STAFF_MINISTRY, write=STAFF, add=STAFF, **extra)


IMPORT_EXPORT = {"history_detail": STAFF_MINISTRY, "spreadsheets": STAFF, "export": STAFF_MINISTRY}
DELETE_SELECTED = {"delete_selected": SUPER}

EXPECTED = {
    # products
    "products.administrativeunit": reference_row(actions=DELETE_SELECTED),
    "products.productgroup": reference_row(actions=DELETE_SELECTED),
    "products.documenttype": reference_row(actions=DELETE_SELECTED),
    # kind and province make an organisation's reach: adding one is a superuser's (ScopedAdminMixin)
    "products.organization": Row(read=STAFF_MINISTRY, write=STAFF, add=SUPER, actions=DELETE_SELECTED),
    "products.producer": registry_row(**IMPORT_EXPORT, actions=DELETE_SELECTED),
    "products.product": registry_row(**IMPORT_EXPORT, actions=DELETE_SELECTED),
    # private files: read by the producer's province, not by the ministry (which reads lists and reports)
    "products.document": Row(read=STAFF, write=STAFF, history_detail=STAFF, actions=DELETE_SELECTED),
    # awards: the programme's set-up is reference data
    "awards.programme": reference_row(actions=DELETE_SELECTED),
    "awards.level": reference_row(actions=DELETE_SELECTED),
    "awards.region": reference_row(actions=DELETE_SELECTED),
    "awards.criteriasheet": Row(read=REFERENCE, write=NOBODY, add=SUPER, actions=DELETE_SELECTED),  # sheets in use
    "awards.ocopcriteriaset": reference_row(actions=DELETE_SELECTED),
    "awards.ocopstarband": reference_row(actions=DELETE_SELECTED),
    # rounds are created on the staff pages; published / closed here by their organiser
    "awards.round": Row(
        read=STAFF_MINISTRY,
        write=STAFF,
        history_detail=STAFF_MINISTRY,
        actions={"publish_rounds": STAFF, "close_rounds": STAFF, **DELETE_SELECTED},
    ),
    # councils and what they hold are read by the round's organiser only (not by the ministry)
    # (the world's councils are on record: their round's decision is published, so no one edits them)
    "awards.council": Row(
        read=STAFF,
        write=NOBODY,
        add=STAFF,
        history_detail=STAFF,
        actions={
            "invite_members": STAFF,
            "export_minutes_pdf": STAFF,
            "export_score_summary_pdf": STAFF,
            "close_first_pass": STAFF,
            **DELETE_SELECTED,
        },
    ),
    "awards.conflict": Row(read=STAFF, write=STAFF, add=STAFF, actions=DELETE_SELECTED),
    "awards.scoresheet": Row(read=STAFF, history_detail=STAFF, actions=DELETE_SELECTED),
    "awards.fieldvisit": Row(read=STAFF, history_detail=STAFF, actions=DELETE_SELECTED),
    "awards.decision": Row(
        read=STAFF_MINISTRY,
        history_detail=STAFF_MINISTRY,
        actions={"issue_decision_certificates": (STAFF, lambda decision: decision.number), **DELETE_SELECTED},
    ),
    "awards.recognition": registry_row(**IMPORT_EXPORT, actions=DELETE_SELECTED),
    "awards.certificate": Row(
        read=STAFF_MINISTRY,
        delete=NOBODY,
        history_detail=STAFF_MINISTRY,
        actions={
            "revoke_certificates": STAFF,
            "reissue_certificates": STAFF,
            "download_certificate_pdf": STAFF_MINISTRY,
            "export_certificates": STAFF_MINISTRY,
        },
    ),
    # issuing bodies' signing certificates: superusers install them; kept, never deleted (they vouch for old PDFs)
    "awards.signingcertificate": Row(read=SUPER, write=SUPER, add=SUPER, delete=NOBODY),
    "awards.ocoprating": registry_row(**IMPORT_EXPORT, actions=DELETE_SELECTED),
    "awards.ocoptarget": registry_row(actions=DELETE_SELECTED),
    "awards.recognitiontarget": registry_row(actions=DELETE_SELECTED),
    # khuyến công
    "extension_projects.activitytype": reference_row(actions=DELETE_SELECTED),
    "extension_projects.supportlimit": reference_row(actions=DELETE_SELECTED),
    "extension_projects.project": registry_row(**IMPORT_EXPORT, actions={**DELETE_SELECTED, "cancel_projects": STAFF}),
    "extension_projects.projectcoderule": superuser_row(add=SUPER, actions=DELETE_SELECTED),
    "extension_projects.fair": registry_row(history_detail=STAFF_MINISTRY, actions=DELETE_SELECTED),
    "extension_projects.fairparticipation": registry_row(**IMPORT_EXPORT, actions=DELETE_SELECTED),
    # the portal's own: import batches are read-only, by their province's staff
    "portal.importbatch": Row(read=STAFF, delete=NOBODY),
    # the department's identity shown on every page: one row, the superuser's; added once, never deleted
    "portal.siteidentity": Row(read=SUPER, write=SUPER, add=NOBODY, delete=NOBODY),
    # accounts: staff correct their province's accounts (not their reach, not their password); nobody but a
    # superuser adds one, reads groups, sign-in attempts or task results
    "accounts.user": Row(read=STAFF, write=STAFF, add=SUPER, password=SUPER, actions=DELETE_SELECTED),
    "auth.group": superuser_row(add=SUPER, actions=DELETE_SELECTED),
    "axes.accessattempt": superuser_row(actions=DELETE_SELECTED),
    "axes.accesslog": superuser_row(actions=DELETE_SELECTED),
    "axes.accessfailurelog": superuser_row(actions=DELETE_SELECTED),
    "django_tasks_database.dbtaskresult": Row(read=SUPER, delete=NOBODY),
    # the outbox: read by superusers (its bodies hold sign-in links), never changed or deleted; given-up e-mails
    # are queued again
    "messaging.outgoingmail": Row(read=SUPER, delete=NOBODY, actions={"queue_again": SUPER}),
}

# The site's own URLs: the status each role gets (LOGIN: sent to the admin's sign-in page).
LOGIN = "login"
SIGNED_IN = dict.fromkeys(ROLES[1:], 200) | {"anonymous": LOGIN}
SITE = {
    "index": SIGNED_IN,
    "login": {"anonymous": 200} | dict.fromkeys(ROLES[1:], 302),  # signed-in admin users go to the index
    "logout": dict.fromkeys(ROLES, 302),  # POST: signed out, on to the home page (anonymous: to the index)
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "jsi18n": SIGNED_IN,
    # apps: 200 when the role sees a model of the app, else 404 (checked per app in test_app_index)
    "app_list": "per app",
    # autocomplete: checked per field in test_autocomplete (AUTOCOMPLETE)
    "autocomplete": "per field",
    # Django's "view on site" redirect (contenttypes' shortcut) for a province B producer: only for those who may
    # read the record (portal.core.admin.view_on_site); 404 for everyone else
    "view_on_site": dict.fromkeys(ROLES[1:], 404)
    | {"anonymous": LOGIN, "staff_b": 302, "ministry": 302, "superuser": 302},
    "<catch-all>": dict.fromkeys(ROLES[1:], 404) | {"anonymous": LOGIN},
}

# Autocomplete (the site's view, for each source field): who sees which of the two records in the answer.
AUTOCOMPLETE = {
    ("accounts.user", "organization"): (STAFF, lambda w, side: w[side].organization),
    ("accounts.user", "producer"): (STAFF, lambda w, side: w[side].producer),
    ("products.product", "producer"): (STAFF, lambda w, side: w[side].producer),
    ("awards.ocoprating", "product"): (STAFF, lambda w, side: w[side].product),
    ("awards.recognition", "product"): (STAFF, lambda w, side: w[side].product),
    ("awards.councilmember", "user"): (STAFF, lambda w, side: w[side].member_user),
    ("extension_projects.project", "beneficiaries"): (STAFF, lambda w, side: w[side].producer),
    ("extension_projects.fairparticipation", "fair"): (STAFF, lambda w, side: w[side].fair),
    ("extension_projects.fairparticipation", "producer"): (STAFF, lambda w, side: w[side].producer),
    ("extension_projects.fairparticipation", "products"): (STAFF, lambda w, side: w[side].product),
    ("extension_projects.fairparticipation", "project"): (STAFF, lambda w, side: w[side].project),
}


# -- the records -------------------------------------------------------------------------------------------------
def _two(model, **filters):
    """Two records of reference or superuser-only data (the same one twice when there is only one)."""
    records = list(model.objects.filter(**filters).order_by("pk")[:2])
    return (records[0], records[-1])


def _records(w) -> dict[str, Callable]:
    """{model label: (record of A, record of B)}; reference and superuser-only data: any two records."""
    a, b = w["A"], w["B"]
    pair = lambda name: (getattr(a, name), getattr(b, name))  # noqa: E731
    return {
        "products.administrativeunit": (a.province, b.province),
        "products.productgroup": _two(ProductGroup),
        "products.documenttype": _two(DocumentType),
        "products.organization": pair("organization"),
        "products.producer": pair("producer"),
        "products.product": pair("product"),
        "products.document": pair("document"),
        "awards.programme": _two(Programme),
        "awards.level": _two(Level),
        "awards.region": _two(Region),
        "awards.criteriasheet": (a.council.criteria_sheet, a.council.criteria_sheet),
        "awards.ocopcriteriaset": _two(OcopCriteriaSet),
        "awards.ocopstarband": _two(OcopStarBand),
        "awards.round": pair("round"),
        "awards.council": pair("council"),
        "awards.conflict": pair("conflict"),
        "awards.scoresheet": pair("sheet"),
        "awards.fieldvisit": pair("field_visit"),
        "awards.decision": pair("decision"),
        "awards.recognition": pair("recognition"),
        "awards.certificate": pair("certificate"),
        "awards.signingcertificate": _two(SigningCertificate),
        "awards.ocoprating": pair("rating"),
        "awards.ocoptarget": pair("target"),
        "awards.recognitiontarget": pair("recognition_target"),
        "extension_projects.activitytype": _two(ActivityType),
        "extension_projects.supportlimit": _two(SupportLimit),
        "extension_projects.project": pair("project"),
        "extension_projects.projectcoderule": _two(ProjectCodeRule),
        "extension_projects.fair": pair("fair"),
        "extension_projects.fairparticipation": pair("participation"),
        "portal.importbatch": pair("batch"),
        "portal.siteidentity": _two(SiteIdentity),
        "accounts.user": pair("producer_account"),
        "auth.group": w["groups"],
        "axes.accessattempt": _two(AccessAttempt),
        "axes.accesslog": _two(AccessLog),
        "axes.accessfailurelog": _two(AccessFailureLog),
        "django_tasks_database.dbtaskresult": _two(DBTaskResult),
        "messaging.outgoingmail": _two(OutgoingMail, status="failed"),
    }


def _third_party_records():
    for n in range(2):
        common = {"user_agent": "curl", "ip_address": f"10.0.0.{n + 1}", "username": f"ke-gian-{n}@example.vn"}
        common |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
        AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=n + 1)
        AccessLog.objects.create(**common)
        AccessFailureLog.objects.create(**common)
        OutgoingMail.objects.create(
            to=[f"nguoi-nhan-{n}@example.vn"], subject=f"Thư không gửi được số {n}", body="…", status="failed"
        )
        DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="awards.tasks.certificate_export_build",
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        )


def _signing_certificates(w):
    """Two installed signing certificates (the admin shows what was read from them; no key is opened here)."""
    for n, side in enumerate(SIDES):
        body = w[side].organization
        SigningCertificate.objects.create(
            issuing_body=body,
            label=f"Chứng thư số {body.name}",
            pkcs12=f"{n:032x}.p12",
            secret_name=f"khoa-{n}",
            subject=f"CN={body.name}",
            common_name=body.name,
            issuer="CN=CA THỬ NGHIỆM",
            serial_number=f"{n + 1:X}",
            valid_from=timezone.now(),
            valid_until=timezone.now() + datetime.timedelta(days=365),
            fingerprint=f"{n:064x}",
            certificate_pem="",
        )


def _build_world() -> dict:
    group = ensure_staff_group()

    def flagged(**fields):
        user = factories.UserFactory(is_staff=True, **fields)
        user.groups.add(group)
        return user

    staff_a, staff_b = staff_of(A), staff_of(B)
    member = flagged(role=Role.MEMBER, full_name="Thành viên có cờ quản trị")
    w = {
        "A": province_world(A, staff_a, "CB", seated=[member]),
        "B": province_world(B, staff_b, "CM", "1451/QĐ-UBND"),
    }
    _third_party_records()
    _signing_certificates(w)
    for side in ("A", "B"):
        ProjectCodeRule.objects.create(organization=w[side].organization, pattern="KC-{year}-{seq:03d}")
    SiteIdentity(agency_name="Sở Công Thương", province=w["A"].province).save()
    w["groups"] = (group, Group.objects.create(name="Nhóm thử"))
    w["users"] = {
        "anonymous": None,
        "producer": flagged(role=Role.PRODUCER, producer=w["A"].producer),
        "member": member,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "ministry": flagged(role=Role.MINISTRY, organization=factories.ministry_organization()),
        "superuser": factories.UserFactory(role=Role.STAFF, is_staff=True, is_superuser=True),
    }
    w["records"] = _records(w)
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at its end; each test runs in a savepoint."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def client_for(world, role) -> Client:
    client = Client()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


# -- the URL patterns --------------------------------------------------------------------------------------------
def _names(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns)
        elif isinstance(p, URLPattern):
            yield p.name or ("<catch-all>" if "catch_all" in getattr(p.callback, "__name__", "") else str(p.pattern))


def model_kinds(model_admin) -> set[str]:
    """The kinds of URL a ModelAdmin serves: changelist, add, change, … (its names without `<app>_<model>_`)."""
    prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
    kinds = set()
    for name in _names(model_admin.get_urls()):
        if name.startswith(prefix):
            kinds.add(name.removeprefix(prefix))
        elif name.endswith("_password_change"):
            kinds.add("password")
        elif name == "<path:object_id>/":
            kinds.add("object_redirect")
        else:
            kinds.add(f"unknown: {name}")
    return kinds


def site_names() -> set[str]:
    model_prefixes = tuple(f"{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry)
    names = set()
    for p in admin.site.get_urls():
        if isinstance(p, URLResolver) and str(p.pattern).startswith(model_prefixes):
            continue
        names |= set(_names([p]))
    return names


def superuser_actions(model_admin) -> set[str]:
    request = RequestFactory().get("/")
    request.user = SimpleNamespace(
        is_active=True,
        is_authenticated=True,
        is_superuser=True,
        is_staff=True,
        role=Role.STAFF,
        has_perm=lambda p: True,
    )
    return set(model_admin.get_actions(request))


KIND_FIELDS = {
    "history": "read",
    "simple_history": "history_detail",
    "import": "spreadsheets",
    "process_import": "spreadsheets",
    "export": "export",
    "password": "password",
}
ALWAYS = {"changelist", "add", "change", "delete", "history", "object_redirect"}


def _autocomplete_fields():
    found = set()
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.autocomplete_fields:
            found.add((model._meta.label_lower, name))
        for inline in model_admin.inlines:
            for name in inline.autocomplete_fields:
                found.add((inline.model._meta.label_lower, name))
    return found


def test_every_admin_url_has_a_row():
    registered = {m._meta.label_lower: a for m, a in admin.site._registry.items()}
    assert set(registered) == set(EXPECTED), "a registered model without a row, or a row without a model"
    problems = []
    for label, model_admin in registered.items():
        row = EXPECTED[label]
        kinds = model_kinds(model_admin)
        unknown = kinds - ALWAYS - set(KIND_FIELDS)
        if unknown:
            problems.append(f"{label}: URL patterns without a rule here: {sorted(unknown)}")
        for kind, attribute in KIND_FIELDS.items():
            if kind in kinds and getattr(row, attribute) is None:
                problems.append(f"{label}: the {kind} URL has no level (Row.{attribute})")
        for attribute in ("history_detail", "spreadsheets", "export", "password"):
            owns = {k for k, a in KIND_FIELDS.items() if a == attribute}
            if getattr(row, attribute) is not None and not owns & kinds:
                problems.append(f"{label}: Row.{attribute} is set but the admin has no such URL")
        if not kinds >= ALWAYS:
            problems.append(f"{label}: missing the usual URLs {sorted(ALWAYS - kinds)}")
        actions = superuser_actions(model_admin)
        if actions != set(row.actions):
            problems.append(f"{label}: actions {sorted(actions)} but rows for {sorted(row.actions)}")
    assert site_names() == set(SITE), "a site URL without a row in SITE"
    assert _autocomplete_fields() == set(AUTOCOMPLETE), "an autocomplete field without a row in AUTOCOMPLETE"
    assert problems == []


def test_every_registered_model_and_inline_goes_through_the_access_base():
    assert admin_access_problems() == []


def test_the_check_names_a_model_without_a_rule_or_the_base():
    other = admin.AdminSite(name="other")
    other.register(ContentType)

    assert admin_access_problems(other) == [
        "contenttypes.ContentType is in the admin without an access rule.",
        "ModelAdmin (contenttypes.ContentType) does not derive from ScopedAdminMixin.",
    ]


# -- the requests ------------------------------------------------------------------------------------------------
def mismatches(got: dict, want: dict) -> dict:
    """{URL: (what it answered, what the table says)} where they differ."""
    return {key: (got.get(key), want.get(key)) for key in want.keys() | got.keys() if got.get(key) != want.get(key)}


def refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"]
        return location.startswith(reverse("admin:login")) or location == reverse("admin:index")
    return False


def outcome(response) -> str:
    """'refused', or 'ok' (a 200 page); anything else is reported as the status itself."""
    if refused(response):
        return "refused"
    return "ok" if response.status_code == 200 else f"status {response.status_code}"


def change_outcome(response) -> str:
    if refused(response) or response.status_code != 200:
        return outcome(response)
    return "edit" if response.context["has_change_permission"] else "view"


def acted(response, obj, marker=str) -> bool:
    """Whether an action reached `obj`: a file for it, an intermediate page listing it (delete_selected, revoke,
    re-issue) or a message of this request naming it (`marker(obj)`)."""
    if refused(response):
        return False
    if response.get("Content-Type", "").startswith("application/pdf"):
        return True
    if response.status_code == 302 and "/admin/" not in response["Location"]:
        return True  # e.g. on to the export's staff page
    context = response.context if response.status_code == 200 else None
    if context is not None and "queryset" in context:
        return obj.pk in {o.pk for o in context["queryset"]}
    said = " ".join(str(m) for m in response.wsgi_request._messages._queued_messages)
    return marker(obj) in said


def _version_id(obj):
    return obj.history.order_by("-history_date", "-history_id").values_list("history_id", flat=True).first()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_model_urls(world, db, label, role):
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)
    row = EXPECTED[label]
    info = f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    kinds = model_kinds(model_admin)
    records = dict(zip(SIDES, world["records"][label], strict=True))
    client = client_for(world, role)
    got, want = {}, {}

    def check(key, actual, expected):
        got[key], want[key] = actual, expected

    # changelist: who opens it, and which of the two records it lists
    response = client.get(reverse(f"{info}_changelist"))
    check("changelist", outcome(response), "ok" if row.read.allows(role, None) else "refused")
    if response.status_code == 200:
        listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
        for side, obj in records.items():
            check(f"changelist lists {side}", obj.pk in listed, row.read.allows(role, side))
    response = client.get(reverse(f"{info}_add"))
    check("add", outcome(response), "ok" if row.add.allows(role, None) else "refused")
    for kind in ("import", "export"):
        if kind in kinds:
            level = row.spreadsheets if kind == "import" else row.export
            check(kind, outcome(client.get(reverse(f"{info}_{kind}"))), "ok" if level.allows(role, None) else "refused")
    if "process_import" in kinds:
        response = client.post(reverse(f"{info}_process_import"), {})
        check("process_import", outcome(response), "ok" if row.spreadsheets.allows(role, None) else "refused")

    for side, obj in records.items():
        pk = obj.pk
        readable = row.read.allows(role, side)
        expected_change = "refused" if not readable else ("edit" if row.write.allows(role, side) else "view")
        check(f"change {side}", change_outcome(client.get(reverse(f"{info}_change", args=[pk]))), expected_change)
        check(
            f"delete {side}",
            outcome(client.get(reverse(f"{info}_delete", args=[pk]))),
            "ok" if readable and row.delete.allows(role, side) else "refused",
        )
        check(
            f"history {side}",
            outcome(client.get(reverse(f"{info}_history", args=[pk]))),
            "ok" if readable else "refused",
        )
        response = client.get(f"{reverse(f'{info}_changelist')}{pk}/")
        check(f"object_redirect {side}", response.status_code == 302 and not refused(response), role != "anonymous")
        if "simple_history" in kinds:
            url = reverse(f"{info}_simple_history", args=[pk, _version_id(obj)])
            check(
                f"history version {side}",
                outcome(client.get(url)),
                "ok" if row.history_detail.allows(role, side) else "refused",
            )
        if "password" in kinds:
            url = reverse("admin:auth_user_password_change", args=[pk])
            check(f"password {side}", outcome(client.get(url)), "ok" if row.password.allows(role, side) else "refused")
        for action, level in row.actions.items():
            level, marker = level if isinstance(level, tuple) else (level, str)
            with transaction.atomic():
                response = client.post(
                    reverse(f"{info}_changelist"), {"action": action, "_selected_action": [pk], "index": "0"}
                )
                check(f"action {action} {side}", acted(response, obj, marker), level.allows(role, side) and readable)
                transaction.set_rollback(True)

    assert mismatches(got, want) == {}


def _status(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_site_urls(world, db, role):
    got, want = {}, {}
    producer = world["A"].producer
    urls = {
        "index": reverse("admin:index"),
        "login": reverse("admin:login"),
        "password_change": reverse("admin:password_change"),
        "password_change_done": reverse("admin:password_change_done"),
        "jsi18n": reverse("admin:jsi18n"),
        "view_on_site": reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(producer).pk, world["B"].producer.pk]
        ),
        "<catch-all>": reverse("admin:index") + "khong-co-trang-nay/",
    }
    for name, url in urls.items():
        got[name] = _status(client_for(world, role).get(url))
        want[name] = SITE[name][role]
    response = client_for(world, role).post(reverse("admin:logout"))
    got["logout"] = _status(response)
    want["logout"] = SITE["logout"][role]
    assert mismatches(got, want) == {}


@pytest.mark.parametrize("role", ROLES)
def test_app_index(world, db, role):
    client = client_for(world, role)
    got, want = {}, {}
    apps = {}
    for model in admin.site._registry:
        row = EXPECTED[model._meta.label_lower]
        apps[model._meta.app_label] = apps.get(model._meta.app_label, False) or row.read.allows(role, None)
    for app_label, visible in apps.items():
        response = client.get(reverse("admin:app_list", args=[app_label]))
        got[app_label] = outcome(response)
        want[app_label] = "ok" if visible else "refused"
    assert mismatches(got, want) == {}


@pytest.mark.parametrize("role", ROLES)
def test_autocomplete(world, db, role):
    client = client_for(world, role)
    got, want = {}, {}
    for (label, field_name), (level, record) in AUTOCOMPLETE.items():
        app_label, model_name = label.split(".")
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
        )
        ids = {r["id"] for r in response.json()["results"]} if response.status_code == 200 else set()
        for side in SIDES:
            key = f"{label}.{field_name} {side}"
            got[key] = str(record(world, side).pk) in ids
            want[key] = level.allows(role, side)
    assert mismatches(got, want) == {}
