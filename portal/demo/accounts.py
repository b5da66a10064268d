"""The demo's organisations and its accounts, one per role."""

from portal.accounts.enums import Role
from portal.accounts.models import User
from portal.accounts.roles import ensure_staff_group
from portal.models import SiteIdentity
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, Organization

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 (published demo password, printed by the command)

ORGANIZATIONS = [
    # name, kind, today's province (None: ministry)
    ("Sở Công Thương tỉnh Cao Bằng", OrganizationKind.DEPARTMENT, "Cao Bằng"),
    ("Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Cao Bằng", OrganizationKind.EXTENSION_CENTRE, "Cao Bằng"),
    ("Ủy ban nhân dân tỉnh Cao Bằng", OrganizationKind.PEOPLES_COMMITTEE, "Cao Bằng"),
    ("Sở Công Thương tỉnh Cà Mau", OrganizationKind.DEPARTMENT, "Cà Mau"),
    ("Ủy ban nhân dân tỉnh Cà Mau", OrganizationKind.PEOPLES_COMMITTEE, "Cà Mau"),
    ("Sở Công Thương tỉnh Đắk Lắk", OrganizationKind.DEPARTMENT, "Đắk Lắk"),
    ("Trung tâm Khuyến công tỉnh Đắk Lắk", OrganizationKind.EXTENSION_CENTRE, "Đắk Lắk"),
    ("Sở Công Thương tỉnh Đồng Tháp", OrganizationKind.DEPARTMENT, "Đồng Tháp"),
    ("Sở Công Thương tỉnh Tuyên Quang", OrganizationKind.DEPARTMENT, "Tuyên Quang"),
    ("Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công (Bộ Công Thương)", OrganizationKind.MINISTRY_AGENCY, None),
    ("Cục Công Thương địa phương (Bộ Công Thương)", OrganizationKind.MINISTRY_AGENCY, None),
]

ACCOUNTS = [
    # e-mail, full name, role, organisation, producer key, superuser
    ("quantri@cnnt.demo", "Quản trị hệ thống", Role.STAFF, None, None, True),
    ("canbo.caobang@cnnt.demo", "Hoàng Thị Lan", Role.STAFF, "Sở Công Thương tỉnh Cao Bằng", None, False),
    ("canbo.camau@cnnt.demo", "Trần Minh Khoa", Role.STAFF, "Sở Công Thương tỉnh Cà Mau", None, False),
    ("canbo.daklak@cnnt.demo", "Y Bhim Niê", Role.STAFF, "Sở Công Thương tỉnh Đắk Lắk", None, False),
    ("canbo.dongthap@cnnt.demo", "Lê Thị Hồng", Role.STAFF, "Sở Công Thương tỉnh Đồng Tháp", None, False),
    ("bo@cnnt.demo", "Vũ Thị Thu Hà", Role.MINISTRY, "Cục Công Thương địa phương (Bộ Công Thương)", None, False),
    ("hoidong@cnnt.demo", "Phạm Đức Minh", Role.MEMBER, "Sở Công Thương tỉnh Cao Bằng", None, False),
    ("htx.tamhoa@cnnt.demo", "Nguyễn Thanh Tâm", Role.PRODUCER, None, "tam-hoa", False),
    ("cty688@cnnt.demo", "Nguyễn Quang Quyền", Role.PRODUCER, None, "cty-688", False),
    ("hkd.nongthimai@cnnt.demo", "Nông Thị Mai", Role.PRODUCER, None, "hkd-nong-thi-mai", False),
]


# -- accounts
def load_organisations() -> int:
    """The organisations of ORGANIZATIONS; returns how many were created."""
    provinces_today = {u.name: u for u in AdministrativeUnit.objects.filter(level="province", is_current=True)}
    created = 0
    for name, kind, province in ORGANIZATIONS:
        _org, was_created = Organization.objects.get_or_create(
            name=name, defaults={"kind": kind, "province": provinces_today.get(province) if province else None}
        )
        created += was_created
    return created


# The department running the demo portal, as its header and footer show it (a superuser edits it in the admin).
SITE_IDENTITY = {
    "agency_name": "Sở Công Thương",
    "governing_body": "Ủy ban nhân dân tỉnh Cao Bằng",
    "address": "Số 042 đường Kim Đồng, phường Thục Phán, tỉnh Cao Bằng",
    "phone": "0206 3852 136",
    "email": "sct@caobang.gov.vn",
    "working_hours": "Thứ Hai – Thứ Sáu: 7 giờ 30 – 11 giờ 30, 13 giờ 30 – 17 giờ 00",
}


def load_site_identity() -> None:
    """The demo province's department as the portal's identity, unless a superuser has set one already."""
    if SiteIdentity.objects.exists():
        return
    province = AdministrativeUnit.objects.get(level="province", is_current=True, name="Cao Bằng")
    SiteIdentity(province=province, **SITE_IDENTITY).save()


def load_accounts(producers, created):
    staff_group = ensure_staff_group()
    for email, full_name, role, org_name, producer_key, is_superuser in ACCOUNTS:
        if User.objects.filter(email=email).exists():
            continue
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            role=role,
            email_verified=True,
            organization=Organization.objects.get(name=org_name) if org_name else None,
            producer=producers[producer_key] if producer_key else None,
            is_staff=role == Role.STAFF,
            is_superuser=is_superuser,
        )
        if role == Role.STAFF and not is_superuser:
            user.groups.add(staff_group)
        created["accounts"] += 1
