"""Staff: set up a round's council in the browser — its legal facts, members and their invitations, and the
conflicts of interest. Staff see the councils of the rounds they see; only those who manage the round write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import is_staff, requires
from products.views.common import apply_validation_error

from .. import services
from ..access import can_manage_round
from ..enums import PhaseKind
from ..forms import ConflictForm, CouncilForm, CouncilMemberInviteForm, CouncilMemberUpdateForm
from ..models import Conflict, Council, CouncilMember
from ..selectors import rounds_for_staff
from ..selectors.outcomes import council_record


def council_url(round_) -> str:
    return reverse("awards:staff.council.detail", args=[round_.pk])


class CouncilOnRecordError(Exception):
    def __init__(self, round_):
        self.round = round_


class CouncilMixin(requires(is_staff)):
    """The round among those the staff member sees (404 otherwise); `manage=True` also needs the right to manage
    it (403 otherwise); `council=True` needs the round's council (404 when it has none yet). Once the round's
    decision is published the council is on record: its edit pages go back to the council with a message."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except CouncilOnRecordError as exc:
            messages.error(
                request,
                _("The round's recognition decision is published: its council is on record and can no longer change."),
            )
            return redirect(council_url(exc.round))

    def get_round(self, pk, *, manage=False):
        round_ = get_object_or_404(rounds_for_staff(self.request.user).select_related("programme"), pk=pk)
        if manage and not can_manage_round(self.request.user, round_)[0]:
            raise PermissionDenied
        return round_

    def get_council(self, pk, *, manage=True):
        round_ = self.get_round(pk, manage=manage)
        council = Council.objects.filter(round=round_).select_related("criteria_sheet").first()
        if council is None:
            raise Http404
        council.round = round_
        if manage and services.council_is_on_record(council):
            raise CouncilOnRecordError(round_)
        return council

    def get_member(self, council, member_pk) -> CouncilMember:
        member = get_object_or_404(council.members.select_related("user"), pk=member_pk)
        member.council = council
        return member

    def act(self, council, action, success: str):
        """Run `action` on the council: its refusal, or `success`, as messages; then back to the council."""
        try:
            action()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
        else:
            messages.success(self.request, success)
        return redirect(council_url(council.round))

    def render(self, council, form, status=200, **context):
        """The view's form page about the council and its round; `context` adds what else the page shows."""
        return render(
            self.request,
            self.template_name,
            {"round": council.round, "council": council, "form": form, **context},
            status=status,
        )


class CouncilDetailView(CouncilMixin, View):
    def get(self, request, pk):
        round_ = self.get_round(pk)
        can_manage = can_manage_round(request.user, round_)[0]
        council = Council.objects.filter(round=round_).select_related("criteria_sheet").first()
        if council is None:
            return render(
                request,
                "awards/staff/council_detail.html",
                {"round": round_, "council": None, "can_manage": can_manage},
            )
        members = list(
            council.members.select_related("user")
            .prefetch_related(
                "groups",
                Prefetch(
                    "conflicts",
                    queryset=Conflict.objects.select_related("nomination__product", "declared_by").order_by(
                        "nomination__receipt_code"
                    ),
                ),
            )
            .order_by("role", "user__full_name")
        )
        on_record = services.council_is_on_record(council)
        can_manage = can_manage and not on_record
        # The record of each pass (who submitted which sheets), kept as it is once the dossiers are decided.
        record = council_record(council, members)
        for member in members:
            member.record = record.get(member.pk)
        scoring = next((p for p in round_.phases.all() if p.kind == PhaseKind.SCORING), None)
        return render(
            request,
            "awards/staff/council_detail.html",
            {
                "round": round_,
                "council": council,
                "jury": [m for m in members if m.is_jury],
                "secretariat": [m for m in members if not m.is_jury],
                "conflicts": [c for m in members for c in m.conflicts.all()],
                "scoring": scoring,
                "can_manage": can_manage,
                "on_record": on_record,
            },
        )


class CouncilFormView(CouncilMixin, View):
    """Create the round's council (no `council` yet) or edit it."""

    template_name = "awards/staff/council_form.html"
    create = False

    def get_instance(self, pk):
        if self.create:
            round_ = self.get_round(pk, manage=True)
            if Council.objects.filter(round=round_).exists():
                return round_, None, True
            return round_, None, False
        council = self.get_council(pk)
        return council.round, council, False

    def get(self, request, pk):
        round_, council, exists = self.get_instance(pk)
        if exists:
            return redirect(reverse("awards:staff.council.update", args=[round_.pk]))
        initial = {} if council else {"name": _("Selection council — %(round)s") % {"round": round_.title}}
        form = CouncilForm(instance=council, initial=initial, programme=round_.programme)
        return self.render(round_, council, form)

    def post(self, request, pk):
        round_, council, exists = self.get_instance(pk)
        if exists:
            return redirect(reverse("awards:staff.council.update", args=[round_.pk]))
        # The form works on a copy: the service compares the new values with the stored council.
        form = CouncilForm(
            request.POST,
            instance=Council.objects.get(pk=council.pk) if council else None,
            programme=round_.programme,
        )
        if form.is_valid():
            try:
                if council is None:
                    services.council_create(round_=round_, actor=request.user, **form.data_for_service())
                    messages.success(request, _("The council is set up. Now add its members."))
                else:
                    services.council_update(council=council, actor=request.user, **form.data_for_service())
                    messages.success(request, _("The council is saved."))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return redirect(council_url(round_))
        return self.render(round_, council, form, status=400)

    def render(self, round_, council, form, status=200):
        return render(
            self.request, self.template_name, {"round": round_, "council": council, "form": form}, status=status
        )


class MemberAddView(CouncilMixin, View):
    template_name = "awards/staff/council_member_form.html"

    def get(self, request, pk):
        council = self.get_council(pk)
        return self.render(council, CouncilMemberInviteForm(), member=None)

    def post(self, request, pk):
        council = self.get_council(pk)
        form = CouncilMemberInviteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = services.council_member_invite(
                    council=council,
                    actor=request.user,
                    email=data["email"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    role=data["role"],
                    organization=data["organization"],
                    is_jury=data["is_jury"],
                    groups=data["groups"],
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is on the council; the invitation is sent to %(email)s.")
                    % {"name": member.user.full_name, "email": member.user.email},
                )
                return redirect(council_url(council.round))
        return self.render(council, form, status=400, member=None)


class MemberUpdateView(CouncilMixin, View):
    template_name = "awards/staff/council_member_form.html"

    def get(self, request, pk, member_pk):
        council = self.get_council(pk)
        member = self.get_member(council, member_pk)
        return self.render(council, CouncilMemberUpdateForm(instance=member), member=member)

    def post(self, request, pk, member_pk):
        council = self.get_council(pk)
        member = self.get_member(council, member_pk)
        form = CouncilMemberUpdateForm(request.POST, instance=CouncilMember.objects.get(pk=member.pk))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.council_member_update(
                    member=member,
                    actor=request.user,
                    role=data["role"],
                    organization=data["organization"],
                    is_jury=data["is_jury"],
                    groups=data["groups"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("%(name)s is saved.") % {"name": member.user.full_name})
                return redirect(council_url(council.round))
        return self.render(council, form, status=400, member=member)


class MemberRemoveView(CouncilMixin, View):
    def post(self, request, pk, member_pk):
        council = self.get_council(pk)
        member = self.get_member(council, member_pk)
        return self.act(
            council,
            lambda: services.council_member_remove(member=member, actor=request.user),
            _("%(name)s is no longer on the council.") % {"name": member.user.full_name},
        )


class MemberInviteView(CouncilMixin, View):
    """Send the invitation again (a fresh set-password link for a person who has not chosen one yet)."""

    def post(self, request, pk, member_pk):
        council = self.get_council(pk)
        member = self.get_member(council, member_pk)
        return self.act(
            council,
            lambda: services.council_invitation_send(
                member=member, actor=request.user, base_url=request.build_absolute_uri("/")
            ),
            _("The invitation is sent again to %(email)s.") % {"email": member.user.email},
        )


class ConflictAddView(CouncilMixin, View):
    template_name = "awards/staff/council_conflict_form.html"

    def get(self, request, pk):
        council = self.get_council(pk)
        form = ConflictForm(council=council, initial={"member": request.GET.get("member")})
        return self.render(council, form)

    def post(self, request, pk):
        council = self.get_council(pk)
        form = ConflictForm(request.POST, council=council)
        if form.is_valid():
            data = form.cleaned_data
            member = data["member"]
            member.council = council
            try:
                services.conflict_declare(
                    member=member,
                    nomination=data["nomination"],
                    reason=data["reason"],
                    note=data["note"],
                    actor=request.user,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The conflict of interest is recorded: %(name)s will neither see nor score %(code)s.")
                    % {"name": member.user.full_name, "code": data["nomination"].receipt_code},
                )
                return redirect(council_url(council.round))
        return self.render(council, form, status=400)


class ConflictRemoveView(CouncilMixin, View):
    def post(self, request, pk, conflict_pk):
        council = self.get_council(pk)
        conflict = get_object_or_404(
            Conflict.objects.select_related("member__user", "nomination"), pk=conflict_pk, member__council=council
        )
        conflict.member.council = council
        return self.act(
            council,
            lambda: services.conflict_remove(conflict=conflict, actor=request.user),
            _("The conflict of interest of %(name)s with %(code)s is removed.")
            % {"name": conflict.member.user.full_name, "code": conflict.nomination.receipt_code},
        )
