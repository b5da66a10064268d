"""Trade fairs on the staff pages: the list with its summary line (fairs and participations in a period), a new
fair, and one fair with the producers who took part, where a participation is added or corrected. Every write
goes through extension_projects.services; a province's staff see the fairs of their province today."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from portal.core.access import can_read_lists, is_staff, province_scope, requires, scoped
from portal.core.list_exports import ListExportMixin
from portal.core.pagination import KeysFirstPaginator, LenientPageMixin
from products.models import Producer, Product
from products.views.common import apply_validation_error

from .. import services
from ..fair_forms import FairFilter, FairForm, ParticipationForm, ProducerChoiceForm
from ..list_exports import FairListExport, ParticipationListExport, participations_of_fairs
from ..models import Fair, FairParticipation

PAGE_SIZE = 25


def fairs_for_staff(user):
    """The fairs whose province today is the officer's (those recorded under an old province that merged into
    it included); every fair for a superuser or a ministry official."""
    qs = Fair.objects.all()
    return scoped(qs, user) if can_read_lists(user) else qs.none()


def fair_list(user):
    participations = (
        FairParticipation.objects.filter(fair=OuterRef("pk")).order_by().values("fair").annotate(n=Count("id"))
    )
    return (
        fairs_for_staff(user)
        .select_related("province", "current_province")
        .annotate(participation_count=Coalesce(Subquery(participations.values("n")), Value(0)))
    )


def fair_summary(fairs) -> dict:
    """How many fairs and participations a filtered list holds: the figure the provinces publish for a period
    (Cao Bằng 2018–2022: 257 participations in 124 fairs)."""
    keys = fairs.order_by().values("pk")
    return {
        "fairs": fairs.order_by().count(),
        "participations": FairParticipation.objects.filter(fair__in=keys).count(),
    }


def participations_of(fair):
    return (
        fair.participations.select_related("producer", "project")
        .prefetch_related(Prefetch("products", queryset=Product.objects.order_by("name", "id")))
        .order_by("producer__name", "pk")
    )


class FairListView(requires(can_read_lists), ListExportMixin, LenientPageMixin, FilterView):
    """`?export=…&rows=participations` exports the producers who took part in the listed fairs instead."""

    filterset_class = FairFilter
    template_name = "extension_projects/staff/fair_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = KeysFirstPaginator
    context_object_name = "fairs"

    def participations_wanted(self) -> bool:
        return self.request.GET.get("rows") == "participations"

    def get_export_resource_class(self):
        return ParticipationListExport if self.participations_wanted() else FairListExport

    def get_export_filename(self):
        return "luot-tham-gia-hoi-cho" if self.participations_wanted() else "hoi-cho"

    def get_export_title(self):
        return _("Fair participations") if self.participations_wanted() else _("Trade fairs")

    def get_export_queryset(self):
        fairs = super().get_export_queryset()
        return participations_of_fairs(fairs) if self.participations_wanted() else fairs

    def get_queryset(self):
        return fair_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        province = data.get("province")
        if province is None and province_scope(self.request.user).province_or_none is not None:
            province = self.request.user.organization.province
        context["summary"] = {
            **fair_summary(self.object_list),
            "year_from": data.get("year_from"),
            "year_to": data.get("year_to"),
            "province": province,
        }
        return context


class FairCreateView(requires(is_staff), View):
    template_name = "extension_projects/staff/fair_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": FairForm(user=request.user)})

    def post(self, request):
        form = FairForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                fair = services.fair_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The fair is saved."))
                return redirect("extension_projects:staff.fair.detail", fair.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class FairDetailView(requires(is_staff), View):
    """The fair and its participations. `?producer=<id>` opens the participation form for that producer (a new
    one, or the one already recorded, to correct); the form posts back here."""

    template_name = "extension_projects/staff/fair_detail.html"

    def get_fair(self, pk):
        return get_object_or_404(
            fairs_for_staff(self.request.user).select_related("province", "current_province"), pk=pk
        )

    def producers(self, fair):
        return Producer.objects.filter(current_province_id=fair.current_province_id)

    def get(self, request, pk):
        fair = self.get_fair(pk)
        producers = self.producers(fair)
        query = request.GET.get("q", "").strip()
        chosen = "producer" in request.GET
        chooser = ProducerChoiceForm(
            request.GET if chosen else None, producers=producers, query=query, initial={"q": query}
        )
        form = producer = None
        if chosen and chooser.is_valid():
            producer = chooser.cleaned_data["producer"]
            form = ParticipationForm(
                initial=self.initial(fair, producer), producer=producer, fair=fair, prefix="participation"
            )
        return self.render(fair, chooser=chooser, form=form, producer=producer)

    def post(self, request, pk):
        fair = self.get_fair(pk)
        producers = self.producers(fair)
        producer_id = request.POST.get("producer", "")
        producer = producers.filter(pk=producer_id).first() if producer_id.isdigit() else None
        if producer is None:
            chooser = ProducerChoiceForm(producers=producers)
            error = _("Choose a producer of the province from the list.")
            return self.render(fair, chooser=chooser, choice_error=error, status=400)
        form = ParticipationForm(request.POST, producer=producer, fair=fair, prefix="participation")
        if form.is_valid():
            data = dict(form.cleaned_data)
            products = data.pop("products")
            try:
                services.participation_record(
                    fair=fair, producer=producer, actor=request.user, products=products, **data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The participation of %(producer)s is saved.") % {"producer": producer})
                return redirect(reverse("extension_projects:staff.fair.detail", args=[fair.pk]) + "#participations")
        chooser = ProducerChoiceForm(producers=producers)
        return self.render(fair, chooser=chooser, form=form, producer=producer, status=400)

    @staticmethod
    def initial(fair, producer) -> dict:
        existing = fair.participations.filter(producer=producer).first()
        if existing is None:
            return {"booths": 1, "support_amount": 0}
        return {
            "products": list(existing.products.values_list("pk", flat=True)),
            "booths": existing.booths,
            "support_amount": existing.support_amount,
            "project": existing.project_id,
            "sales": existing.sales,
            "contracts": existing.contracts,
            "contracts_value": existing.contracts_value,
        }

    def render(self, fair, *, chooser, form=None, producer=None, choice_error="", status=200):
        participations = list(participations_of(fair))
        totals = {
            "booths": sum(p.booths for p in participations),
            "support": sum(p.support_amount for p in participations),
            "sales": sum(p.sales or 0 for p in participations),
            "contracts": sum(p.contracts or 0 for p in participations),
        }
        editing = producer is not None and any(p.producer_id == producer.pk for p in participations)
        return render(
            self.request,
            self.template_name,
            {
                "fair": fair,
                "participations": participations,
                "totals": totals,
                "chooser": chooser,
                "form": form,
                "producer": producer,
                "editing": editing,
                "choice_error": choice_error,
            },
            status=status,
        )
