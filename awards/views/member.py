"""Council members: the dossiers they score and the score sheet. A member sees only the rounds it sits on,
and never a dossier it has a conflict of interest with."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.core.access import requires
from portal.core.files import PDF, generated_file, serve_file
from portal.core.widgets import DecimalCommaField

from .. import services
from ..access import sits_on_a_council
from ..enums import CouncilRole, PhaseKind, SheetStatus
from ..forms import ConflictDeclareForm, decimal_vi
from ..models import Conflict, CouncilMember, Nomination, ScoreSheet
from ..printouts.score_sheet import score_sheet_pdf
from ..selectors import (
    SCORABLE_STATES,
    dossier_facts,
    group_facts,
    member_nominations,
    nomination_checklist,
    seats_of,
    sheet_groups,
)
from ..services.guards import SHEET, phase_refusal, scoring_refusal
from ..services.scoring import is_assigned, sheet_pass


class MemberRequiredMixin(requires(sits_on_a_council)):
    def seat_for(self, nomination) -> CouncilMember:
        """The user's jury seat on the council of the dossier's round, refused (404) unless it scores the dossier. The
        seat's council is read with it; its round is the dossier's, already read when the caller selected it."""
        conflicts = Conflict.objects.filter(member=OuterRef("pk"), nomination=nomination)
        member = (
            CouncilMember.objects.filter(user=self.request.user, is_jury=True, council__round_id=nomination.round_id)
            .select_related("council")
            .annotate(conflicted=Exists(conflicts))
            .first()
        )
        if member is not None and Nomination.round.is_cached(nomination):
            member.council.round = nomination.round
        return self.scoring(member, nomination, conflicted=member is not None and member.conflicted)

    def scoring(self, member: CouncilMember | None, nomination, *, conflicted: bool) -> CouncilMember:
        """The member's seat, refused (404) unless it scores the dossier: members see a dossier once the department
        has accepted it for scoring, and afterwards."""
        if (
            member is None
            or nomination.status not in SCORABLE_STATES
            or not is_assigned(member, nomination, conflicted=conflicted)
        ):
            raise Http404
        return member


class DashboardView(MemberRequiredMixin, View):
    """The member's councils and their dossiers; `?round=` narrows it to one round (the inbox links there)."""

    def get(self, request):
        seats = []
        members = seats_of(request.user).prefetch_related("council__round__phases")
        round_id = request.GET.get("round", "")
        if round_id.isdigit():
            members = members.filter(council__round_id=int(round_id))
        for member in members:
            rows = member_nominations(member)
            done = sum(1 for r in rows if r["sheet"] and r["sheet"].status == SheetStatus.SUBMITTED)
            scoring = member.council.round.phase(PhaseKind.SCORING)
            seats.append(
                {
                    "member": member,
                    "rows": rows,
                    "done": done,
                    "total": len(rows),
                    "deadline": scoring.ends_on if scoring else None,
                    "overdue": scoring is not None and scoring.ends_on < timezone.localdate() and done < len(rows),
                }
            )
        # The secretary and the chair keep the council's file (minutes, score summary), on the jury or not.
        document_seats = CouncilMember.objects.filter(
            user=request.user, role__in=[CouncilRole.SECRETARY, CouncilRole.CHAIR]
        ).select_related("council__round")
        return render(
            request,
            "awards/member/dashboard.html",
            {"seats": seats, "document_seats": list(document_seats), "one_round": round_id.isdigit()},
        )


class SheetForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": gettext_lazy(
                "Keep the comment to at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )

    def __init__(self, *args, criteria, disabled=False, submit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria, self.submit = criteria, submit
        for criterion in criteria:
            out_of_range = _("The score must be between 0 and %(max)s.") % {"max": decimal_vi(criterion.max_points)}
            self.fields[f"c{criterion.pk}"] = DecimalCommaField(
                label=f"{criterion.code}. {criterion.title}",
                required=False,
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=2,
                help_text=_("0 to %(max)s points") % {"max": format(criterion.max_points.normalize(), "f")},
                disabled=disabled,
                # The running total (static/js/score-sheet.js) sums the inputs carrying a maximum.
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "data-max": str(criterion.max_points)}
                ),
                error_messages={
                    "invalid": _("Enter the score as a number, e.g. 7,5."),
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                    "max_decimal_places": _("Enter at most 2 decimal places."),
                },
            )
        self.fields["comment"].disabled = disabled
        self.order_fields([*(f"c{c.pk}" for c in criteria), "comment"])  # the comment closes the sheet

    def clean(self):
        """A sheet submitted needs every score: the empty ones are marked with the values to correct, at once."""
        cleaned = super().clean()
        if self.submit:
            for criterion in self.criteria:
                name = f"c{criterion.pk}"
                if name not in self.errors and cleaned.get(name) is None:
                    self.add_error(name, _("Give a score for %(code)s.") % {"code": criterion.code})
        return cleaned

    def points(self):
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}

    def typed_total(self) -> Decimal:
        """The sum of the valid values typed so far (a bound form, once validated)."""
        typed = getattr(self, "cleaned_data", {})
        return sum((typed.get(f"c{c.pk}") or Decimal(0) for c in self.criteria), Decimal(0))


class SheetView(MemberRequiredMixin, View):
    template_name = "awards/member/sheet.html"
    page_related = ("product__group", "producer", "round")  # what the page shows of the dossier

    def setup_sheet(self, pk):
        """The dossier with what the page shows of it (its product's group, its producer), the member's seat, the
        criteria and the pass."""
        nomination = get_object_or_404(Nomination.objects.select_related(*self.page_related), pk=pk)
        member = self.seat_for(nomination)
        self.groups, criteria = sheet_groups(member.council.criteria_sheet_id)
        self.pass_no = sheet_pass(member.council, nomination)
        return nomination, member, criteria

    def own_sheet(self, nomination, member) -> ScoreSheet | None:
        return ScoreSheet.objects.filter(nomination=nomination, member=member, pass_no=self.pass_no).first()

    def get(self, request, pk):
        nomination, member, criteria = self.setup_sheet(pk)
        sheet = self.own_sheet(nomination, member)
        initial = {"comment": sheet.comment if sheet else ""}
        if sheet:
            initial.update({f"c{s.criterion_id}": decimal_vi(s.points) for s in sheet.scores.all()})
        locked = bool(sheet and sheet.status == SheetStatus.SUBMITTED) or self.pass_closed(member)
        form = SheetForm(initial=initial, criteria=criteria, disabled=locked)
        return self.render(nomination, member, sheet, form, total=sheet.total if sheet else Decimal(0))

    def post(self, request, pk):
        """Save the draft or submit the sheet. The seat is locked first (scoring_seat) and the sheet saved in the
        same transaction: the seat is read once, with everything the save checks. The dossier is read alone; what the
        page shows of it is read only when a page shows (the confirmation, the form again), and that page is built
        once the transaction is over, so that no lock waits for a page."""
        nomination = get_object_or_404(Nomination, pk=pk)
        with services.scoring_seat(request.user, nomination) as seat:
            member = self.scoring(seat and seat.member, nomination, conflicted=seat is not None and seat.conflicted)
            self.groups, criteria = sheet_groups(member.council.criteria_sheet_id)
            self.pass_no = seat.pass_no(nomination)
            outcome = self.save(seat, nomination, criteria)
        return outcome() if callable(outcome) else outcome

    def save(self, seat, nomination, criteria):
        """The POST once the seat is locked: a redirect, or the page to build afterwards (a callable). The member's
        sheet as it stands is read only when the form shows again: a submitted one is refused by the save itself
        (SheetLockedError)."""
        request, member = self.request, seat.member
        if self.pass_closed(member):
            messages.error(request, _("Scoring pass %(n)d of this dossier is not open.") % {"n": self.pass_no})
            return redirect(reverse("awards:member.sheet", args=[nomination.pk]))
        submit = "submit" in request.POST
        form = SheetForm(request.POST, criteria=criteria, submit=submit)
        if form.is_valid():
            if submit and request.POST.get("confirm") != "1":
                _sheet, refused = self.current_sheet(nomination, member)
                if refused:
                    return refused
                if not scoring_refusal(seat.scoring, SHEET):
                    return lambda: self.confirmation(nomination, member, criteria, form)
            try:
                services.sheet_save(
                    member=member,
                    nomination=nomination,
                    points=form.points(),
                    comment=form.cleaned_data["comment"],
                    submit=submit,
                    pass_no=self.pass_no,
                    criteria=criteria,
                    seat=seat,
                )
            except services.SheetLockedError as exc:
                return self.locked(nomination, exc)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    codes = {c.code: f"c{c.pk}" for c in criteria}
                    for code, errors in exc.error_dict.items():
                        form.add_error(codes.get(code), errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("The sheet is submitted.") if submit else _("The draft is saved."))
                return redirect(reverse("awards:member.sheet", args=[nomination.pk]))
        return lambda: self.form_again(nomination, member, form)

    def form_again(self, nomination, member, form):
        """The form with its errors and what was typed (400), or back to the sheet when it is submitted."""
        sheet, refused = self.current_sheet(nomination, member)
        if refused:
            return refused
        return self.render(self.shown(nomination), member, sheet, form, total=form.typed_total(), status=400)

    def shown(self, nomination):
        """The dossier with what the page shows of it."""
        return Nomination.objects.select_related(*self.page_related).get(pk=nomination.pk)

    def current_sheet(self, nomination, member):
        """The member's sheet of this pass (or None), and the way back to it when it is submitted (else None)."""
        sheet = self.own_sheet(nomination, member)
        if sheet and sheet.status == SheetStatus.SUBMITTED:
            return sheet, self.locked(nomination, services.SheetLockedError())
        return sheet, None

    def locked(self, nomination, refusal):
        """A submitted sheet: back to it, read-only, with why."""
        messages.error(self.request, refusal.message)
        return redirect(reverse("awards:member.sheet", args=[nomination.pk]))

    def confirmation(self, nomination, member, criteria, form):
        """Before a complete sheet is submitted (and locked): the page with its points and total."""
        points = form.points()
        lines = [(c, points[c.pk]) for c in criteria]
        return render(
            self.request,
            "awards/member/sheet_confirm.html",
            {
                "nomination": self.shown(nomination),
                "member": member,
                "lines": lines,
                "total": sum(points.values(), Decimal(0)),
                "max_total": sum((c.max_points for c in criteria), Decimal(0)),
                "comment": form.cleaned_data["comment"],
                "pass_no": self.pass_no,
                "two_pass": member.council.passes == 2,
            },
        )

    def pass_closed(self, member) -> bool:
        """A dossier left off the short list keeps its first-pass sheet, read-only, once that pass is closed."""
        return member.council.pass_closed(self.pass_no)

    def render(self, nomination, member, sheet, form, total, status=200):
        checklist = nomination_checklist(nomination)
        photos = [np.photo for np in nomination.photos.select_related("photo")]
        other_facts = group_facts(self.groups, dossier_facts(nomination, checklist, photos))
        sections = [
            {"group": group, "fields": [(leaf, form[f"c{leaf.pk}"]) for leaf in group.leaves]} for group in self.groups
        ]
        return render(
            self.request,
            self.template_name,
            {
                "nomination": nomination,
                "member": member,
                "sheet": sheet,
                "form": form,
                "sections": sections,
                "other_facts": other_facts,
                "total": total,
                "max_total": sum((leaf.max_points for leaf in form.criteria), Decimal(0)),
                "locked": bool(sheet and sheet.status == SheetStatus.SUBMITTED),
                "pass_no": self.pass_no,
                "two_pass": member.council.passes == 2,
                "pass_closed": self.pass_closed(member),
                "outside_dates": phase_refusal(nomination.round, SHEET),
            },
            status=status,
        )


class DossierFileView(MemberRequiredMixin, View):
    """A member opens the documents and photos of a dossier it scores (and only those)."""

    def get(self, request, pk, kind, uid):
        nomination = get_object_or_404(Nomination, pk=pk)
        self.seat_for(nomination)
        if kind == "document":
            nd = nomination.documents.select_related("document").filter(document__uid=uid).first()
            if nd is None:
                raise Http404
            stored, field = nd.document, nd.document.file
        elif kind == "photo":
            np_ = nomination.photos.select_related("photo").filter(photo__uid=uid).first()
            if np_ is None:
                raise Http404
            stored, field = np_.photo, np_.photo.image
        else:
            raise Http404
        # The type stored at upload, never one guessed from the uploader's name; see portal.core.files.
        return serve_file(
            field, content_type=stored.content_type, name=stored.original_name, default_stem=str(stored.uid)
        )


class SheetPdfView(MemberRequiredMixin, View):
    """The member's own sheet as the printable, signable Phụ lục 4 form."""

    def get(self, request, pk):
        nomination = get_object_or_404(Nomination, pk=pk)
        member = self.seat_for(nomination)
        sheet = get_object_or_404(
            ScoreSheet, nomination=nomination, member=member, pass_no=sheet_pass(member.council, nomination)
        )
        return generated_file(
            score_sheet_pdf(sheet), content_type=PDF, filename=f"phieu-cham-diem-{nomination.receipt_code}.pdf"
        )


class ConflictDeclareView(MemberRequiredMixin, View):
    """The member declares its own conflict of interest with a dossier it would score: from then on the dossier
    leaves its list and it can no longer open or score it."""

    template_name = "awards/member/conflict_declare.html"

    def get(self, request, pk):
        nomination = get_object_or_404(Nomination.objects.select_related("product__group", "producer", "round"), pk=pk)
        member = self.seat_for(nomination)
        return self.render(nomination, member, ConflictDeclareForm())

    def post(self, request, pk):
        nomination = get_object_or_404(Nomination.objects.select_related("product__group", "producer", "round"), pk=pk)
        member = self.seat_for(nomination)
        form = ConflictDeclareForm(request.POST)
        if form.is_valid():
            try:
                services.conflict_declare(
                    member=member,
                    nomination=nomination,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your conflict of interest with %(product)s (%(code)s) is recorded: the dossier is no longer "
                        "on your list and your score will not count for it."
                    )
                    % {"product": nomination.product.name, "code": nomination.receipt_code},
                )
                return redirect(reverse("awards:member.dashboard"))
        return self.render(nomination, member, form, status=400)

    def render(self, nomination, member, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"nomination": nomination, "member": member, "form": form},
            status=status,
        )
