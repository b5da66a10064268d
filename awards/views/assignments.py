"""Staff: who scores which dossier. By the council's assignment mode: every jury member scores every dossier,
members score the product groups given to them, or the department ticks dossier by dossier in a matrix."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import is_staff, requires
from products.models import ProductGroup

from .. import services
from ..access import can_manage_round
from ..enums import AssignmentMode, NominationStatus
from ..models import Conflict, Council, CouncilMember, Nomination
from ..selectors import rounds_for_staff

# A dossier's score rests on the mean of its sheets; with fewer than three the department is warned (not
# refused: a small district council may have only three members and one conflict of interest).
MIN_SCORERS = 3


def _ids(values) -> set[int]:
    return {int(v) for v in values if str(v).isdigit()}


class AssignmentView(requires(is_staff), View):
    template_name = "awards/staff/council_assignments.html"

    def setup_page(self, pk):
        round_ = get_object_or_404(rounds_for_staff(self.request.user), pk=pk)
        council = get_object_or_404(Council, round=round_)
        council.round = round_
        jury = list(council.members.filter(is_jury=True).select_related("user"))
        return round_, council, jury

    def get(self, request, pk):
        round_, council, jury = self.setup_page(pk)
        return self.render(round_, council, jury)

    def post(self, request, pk):
        round_, council, jury = self.setup_page(pk)
        if not can_manage_round(request.user, round_)[0]:
            raise PermissionDenied
        if council.assignment_mode == AssignmentMode.INDIVIDUAL:
            return self.save_dossiers(round_, council, jury)
        if council.assignment_mode == AssignmentMode.GROUPS:
            return self.save_groups(round_, council, jury)
        return redirect(self.request.path)

    # -- one by one -----------------------------------------------------------------------------------------
    def save_dossiers(self, round_, council, jury):
        posted = {(m.pk, nid) for m in jury for nid in _ids(self.request.POST.getlist(f"m{m.pk}"))}
        shown = set(self._dossiers(round_).values_list("pk", flat=True))
        # Dossiers no longer on the page (already scored) keep their assignments.
        kept = {pair for pair in self._assigned(council) if pair[1] not in shown}
        try:
            with transaction.atomic():
                for member in jury:
                    wanted = {nid for mid, nid in posted | kept if mid == member.pk}
                    services.council_assign(
                        council=council,
                        actor=self.request.user,
                        member=member,
                        nominations=Nomination.objects.filter(pk__in=wanted),
                    )
        except ValidationError as exc:
            return self.render(round_, council, jury, ticks=posted, errors=exc.messages, status=400)
        messages.success(self.request, _("The assignments are saved."))
        few = sum(1 for nid in shown if sum(1 for _m, n in posted if n == nid) < MIN_SCORERS)
        if few:
            messages.warning(
                self.request,
                _("%(n)d dossier(s) have fewer than %(min)d members scoring them.") % {"n": few, "min": MIN_SCORERS},
            )
        return redirect(reverse("awards:staff.council.assign", args=[round_.pk]))

    def _dossiers(self, round_):
        return Nomination.objects.filter(round=round_, status=NominationStatus.ACCEPTED)

    def _assigned(self, council) -> set[tuple[int, int]]:
        return set(
            CouncilMember.nominations.through.objects.filter(councilmember__council=council).values_list(
                "councilmember_id", "nomination_id"
            )
        )

    def matrix(self, round_, council, jury, ticks):
        nominations = (
            self._dossiers(round_)
            .select_related("product__group", "producer")
            .order_by("product__group__order", "receipt_code")
        )
        conflicts = {
            (c.member_id, c.nomination_id): c.get_reason_display()
            for c in Conflict.objects.filter(member__council=council)
        }
        ticks = self._assigned(council) if ticks is None else ticks
        blocks = []
        for nomination in nominations:
            group = nomination.product.group
            if not blocks or blocks[-1]["group"] != group:
                blocks.append({"group": group, "rows": []})
            cells = [
                {
                    "member": member,
                    "conflict": conflicts.get((member.pk, nomination.pk)),
                    "checked": (member.pk, nomination.pk) in ticks,
                }
                for member in jury
            ]
            count = sum(1 for c in cells if c["checked"] and not c["conflict"])
            blocks[-1]["rows"].append(
                {"nomination": nomination, "cells": cells, "count": count, "few": count < MIN_SCORERS}
            )
        return blocks

    # -- by product group -----------------------------------------------------------------------------------
    def save_groups(self, round_, council, jury):
        posted = {(m.pk, gid) for m in jury for gid in _ids(self.request.POST.getlist(f"g{m.pk}"))}
        try:
            with transaction.atomic():
                for member in jury:
                    services.council_member_set_groups(
                        member=member,
                        actor=self.request.user,
                        groups=ProductGroup.objects.filter(pk__in={gid for mid, gid in posted if mid == member.pk}),
                    )
        except ValidationError as exc:
            return self.render(round_, council, jury, ticks=posted, errors=exc.messages, status=400)
        messages.success(self.request, _("The product groups of the members are saved."))
        return redirect(reverse("awards:staff.council.assign", args=[round_.pk]))

    def group_table(self, round_, council, jury, ticks):
        groups = list(ProductGroup.objects.order_by("order", "code"))
        if ticks is None:
            ticks = set(
                CouncilMember.groups.through.objects.filter(councilmember__council=council).values_list(
                    "councilmember_id", "productgroup_id"
                )
            )
        dossiers = {
            row["product__group"]: row["n"]
            for row in self._dossiers(round_).values("product__group").annotate(n=Count("pk"))
        }
        rows = [{"member": m, "cells": [{"group": g, "checked": (m.pk, g.pk) in ticks} for g in groups]} for m in jury]
        summary = []
        for group in groups:
            members = sum(1 for m in jury if (m.pk, group.pk) in ticks)
            count = dossiers.get(group.pk, 0)
            summary.append(
                {"group": group, "members": members, "dossiers": count, "few": bool(count) and members < MIN_SCORERS}
            )
        return groups, rows, summary

    # -------------------------------------------------------------------------------------------------------
    def render(self, round_, council, jury, *, ticks=None, errors=(), status=200):
        context = {
            "round": round_,
            "council": council,
            "jury": jury,
            "errors": errors,
            "min_scorers": MIN_SCORERS,
            "can_manage": can_manage_round(self.request.user, round_)[0],
        }
        if council.assignment_mode == AssignmentMode.INDIVIDUAL:
            context["blocks"] = self.matrix(round_, council, jury, ticks)
        elif council.assignment_mode == AssignmentMode.GROUPS:
            context["groups"], context["group_rows"], context["group_summary"] = self.group_table(
                round_, council, jury, ticks
            )
        else:
            context["dossier_count"] = self._dossiers(round_).count()
        return render(self.request, self.template_name, context, status=status)
