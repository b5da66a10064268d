from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    WARD = "ward", _("Commune / ward")


class OrganizationKind(models.TextChoices):
    DEPARTMENT = "department", _("Department of Industry and Trade")
    EXTENSION_CENTRE = "extension_centre", _("Industrial extension centre")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    MINISTRY_AGENCY = "ministry_agency", _("Ministry agency")


class ProducerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    HOUSEHOLD = "household", _("Household business")


class DocumentScope(models.TextChoices):
    PRODUCER = "producer", _("Producer")
    PRODUCT = "product", _("Product")
