"""The permission group that gives department staff the back office (Django admin) for their work."""

STAFF_GROUP = "Cán bộ Sở Công Thương"
STAFF_PERMISSIONS = {
    "products": ["producer", "product", "productphoto", "document", "organization"],
    "accounts": ["user"],
    "awards": [
        "round",
        "roundphase",
        "roundchecklistitem",
        "roundgrouprule",
        "council",
        "councilmember",
        "conflict",
        "recognition",
        "ocoprating",
        "ocoptarget",
        "recognitiontarget",
    ],
    "extension_projects": ["project", "fair", "fairparticipation"],
}
READ_ONLY = {
    "portal": ["importbatch"],
    "products": ["administrativeunit", "productgroup", "documenttype"],
    "awards": [
        "programme",
        "level",
        "levelchecklistitem",
        "region",
        "criteriasheet",
        "criterion",
        "scoresheet",
        "fieldvisit",
        "decision",
        "certificate",
        "ocopcriteriaset",
        "ocopstarband",
    ],
    "extension_projects": ["activitytype", "supportlimit", "projectfunding", "disbursement", "projectstatuslog"],
}


def ensure_staff_group():
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    for app, models in STAFF_PERMISSIONS.items():
        codenames = [f"{action}_{model}" for model in models for action in ("view", "add", "change")]
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app, codename__in=codenames))
    for app, models in READ_ONLY.items():
        perms = Permission.objects.filter(content_type__app_label=app, codename__in=[f"view_{m}" for m in models])
        group.permissions.add(*perms)
    return group
