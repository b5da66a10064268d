"""The area a report covers: a province of today (with the old provinces merged into it on 1 July 2025) or one
old province as it was, and who may report on which."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from portal.core.access import province_scope
from portal.core.collation import vietnamese_key
from products.models import AdministrativeUnit


def lower_first(text: str) -> str:
    """'Tỉnh Hà Giang' -> 'tỉnh Hà Giang' (inside a sentence)."""
    return text[:1].lower() + text[1:]


# -- the area and its scope -----------------------------------------------------------------------------------------
@dataclass
class ReportArea:
    """The province a report covers. `merged` lists the old provinces of a province of today."""

    province: AdministrativeUnit
    merged: list = field(default_factory=list)

    @property
    def is_current(self) -> bool:
        return self.province.is_current

    @property
    def today_id(self) -> int:
        return self.province.pk if self.province.is_current else self.province.successor_id

    @property
    def label(self) -> str:
        """'Tỉnh Tuyên Quang (gồm tỉnh Hà Giang cũ)' or 'Tỉnh Hà Giang (trước ngày 01/07/2025)'."""
        if not self.is_current:
            return _("%(name)s (as it was before 1 July 2025)") % {"name": self.province.full_name}
        others = [lower_first(p.full_name) for p in self.merged if p.name != self.province.name]
        if not others:
            return self.province.full_name
        return _("%(name)s (including the former %(merged)s)") % {
            "name": self.province.full_name,
            "merged": ", ".join(others),
        }

    @property
    def today(self) -> AdministrativeUnit:
        return self.province if self.is_current else self.province.successor

    @property
    def place(self) -> str:
        """The place name of the date line: today's province."""
        return self.today.name

    @property
    def target_province_ids(self) -> list[int]:
        return [self.province.pk, *(p.pk for p in self.merged)]

    def q(self, path: str = "") -> Q:
        """Filter on a model with `province` (as recorded) and `current_province` (today) at `path`."""
        if self.is_current:
            return Q(**{f"{path}current_province_id": self.province.pk})
        return Q(**{f"{path}province_id": self.province.pk})


def provinces_for_reports(user) -> list[AdministrativeUnit]:
    """The provinces a user may report on: a department officer its province of today and the old provinces
    merged into it; a national account every province. Today's provinces first, then the old ones, by name."""
    scope = province_scope(user)
    return list(AdministrativeUnit.objects.provinces(scope, before_reform=True).select_related("successor"))


def report_area(province: AdministrativeUnit) -> ReportArea:
    merged = []
    if province.is_current:
        merged = sorted(
            AdministrativeUnit.objects.filter(level="province", is_current=False, successor=province),
            key=lambda unit: vietnamese_key(unit.name),
        )
    return ReportArea(province=province, merged=merged)


def may_read_province(user, province: AdministrativeUnit) -> bool:
    return province_scope(user).includes(province.pk if province.is_current else province.successor_id)
