import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import FastSelect
from products.enums import ProducerKind
from products.filter_fields import ProvinceFilter, YearFilter, group_filter
from products.forms import DateInput
from products.search import query_terms
from products.selectors import search_filter

from .enums import CertificateStatus, NominationStatus, RecognitionSource
from .models import Certificate, Level, Nomination, OcopRating, Recognition

TODO_SCREENING, TODO_OVERDUE = "screening", "overdue"
SORT_WAITING = "waiting"


class NominationFilter(django_filters.FilterSet):
    """A round's screening queue. `todo` and `sort=waiting` are what the task inbox links to; `waiting_since` is
    annotated by the queue (awards.selectors.worklist.waiting_since)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        help_text=_("Receipt code, producer, product or tax code"),
    )
    todo = django_filters.ChoiceFilter(
        label=_("To do"),
        method="filter_todo",
        empty_label=_("Everything"),
        widget=FastSelect,
        choices=[(TODO_SCREENING, _("Waiting for screening")), (TODO_OVERDUE, _("Correction overdue"))],
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in NominationStatus.choices if c[0] != NominationStatus.DRAFT],
        empty_label=_("All statuses"),
        widget=FastSelect,
    )
    group = group_filter()
    province = ProvinceFilter(field_name="producer__current_province")
    missing = django_filters.ChoiceFilter(
        label=_("Dossier"),
        method="filter_missing",
        empty_label=_("All dossiers"),
        widget=FastSelect,
        choices=[("yes", _("With missing items")), ("no", _("Complete"))],
    )

    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        method="filter_sort",
        empty_label=_("By receipt code"),
        widget=FastSelect,
        choices=[(SORT_WAITING, _("Longest waiting first"))],
    )

    class Meta:
        model = Nomination
        fields = ["q", "todo", "status", "group", "province", "missing", "sort"]

    def filter_q(self, queryset, name, value):
        # The product's folded text holds its name, its producer's name and tax code; receipt codes are typed.
        words = Q()
        for term in query_terms(value):
            words &= Q(product__search_text__contains=term)
        return queryset.filter(Q(receipt_code__icontains="".join(value.split())) | words)

    def filter_todo(self, queryset, name, value):
        from .selectors import WAITING_FOR_SCREENING, correction_overdue

        if value == TODO_SCREENING:
            return queryset.filter(status__in=WAITING_FOR_SCREENING)
        return queryset.filter(correction_overdue(timezone.localdate()))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(F("waiting_since").asc(nulls_last=True), "receipt_code", "id")

    def filter_missing(self, queryset, name, value):
        return queryset.filter(missing_count__gt=0) if value == "yes" else queryset.filter(missing_count=0)


def _programme_levels():
    return Level.objects.filter(programme__code="spcnnttb").order_by("rank", F("valid_from").asc(nulls_first=True))


class RecognitionSummaryFilter(django_filters.FilterSet):
    """What the recognitions dashboard can narrow: years, product group, source. `basis` only chooses how rows
    are grouped (today's province or the province as recorded)."""

    basis = django_filters.ChoiceFilter(
        label=_("Count by"),
        choices=[("today", _("Province today")), ("recorded", _("Province as recorded (before 2025)"))],
        method="filter_basis",
        empty_label=None,
        widget=FastSelect,
    )
    year_from = YearFilter(label=_("From year"), lookup_expr="gte")
    year_to = YearFilter(label=_("To year"), lookup_expr="lte")
    group = group_filter()
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=RecognitionSource.choices, empty_label=_("All sources"), widget=FastSelect
    )

    class Meta:
        model = Recognition
        fields = ["basis", "year_from", "year_to", "group", "source"]

    def filter_basis(self, queryset, name, value):
        return queryset

    @property
    def grouping(self) -> str:
        value = self.form.cleaned_data.get("basis") if self.is_bound and self.is_valid() else None
        return value or "today"


class RecognitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    province = ProvinceFilter(field_name="product__producer__current_province")
    recorded_province = ProvinceFilter(field_name="product__producer__province", before_reform=True)
    level = django_filters.ModelChoiceFilter(
        label=_("Level"),
        to_field_name="code",
        queryset=_programme_levels(),
        empty_label=_("All levels"),
        widget=FastSelect,
    )
    year_from = YearFilter(label=_("From year"), lookup_expr="gte")
    year_to = YearFilter(label=_("To year"), lookup_expr="lte")
    group = group_filter()
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=RecognitionSource.choices, empty_label=_("All sources"), widget=FastSelect
    )
    kind = django_filters.ChoiceFilter(
        label=_("Producer kind"),
        field_name="product__producer__kind",
        choices=ProducerKind.choices,
        empty_label=_("All kinds"),
        widget=FastSelect,
    )

    class Meta:
        model = Recognition
        fields = ["q", "province", "recorded_province", "level", "year_from", "year_to", "group", "source", "kind"]

    def filter_q(self, queryset, name, value):
        # The product's folded text holds its name, its producer's name, tax code and places.
        return search_filter(queryset, value, field="product__search_text")


class CertificateFilter(django_filters.FilterSet):
    """The staff certificate list, and the selection a bulk export takes (`decision`, `round` or any filter)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    decision = django_filters.NumberFilter(label=_("Recognition decision"), field_name="recognition__decision_id")
    round = django_filters.NumberFilter(label=_("Round"), field_name="recognition__decision__round_id")
    level = django_filters.ModelChoiceFilter(
        label=_("Level"),
        field_name="recognition__level",
        to_field_name="code",
        queryset=_programme_levels(),
        empty_label=_("All levels"),
        widget=FastSelect,
    )
    year = django_filters.NumberFilter(label=_("Year of issue"), field_name="year")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CertificateStatus.choices, empty_label=_("All statuses"), widget=FastSelect
    )
    province = ProvinceFilter(field_name="recognition__product__producer__current_province")

    class Meta:
        model = Certificate
        fields = ["q", "decision", "round", "level", "year", "status", "province"]

    def filter_q(self, queryset, name, value):
        number = value.strip().upper()
        if "/" in number:  # a certificate number as printed
            return queryset.filter(number__iexact="".join(number.split()))
        return search_filter(queryset, value, field="recognition__product__search_text")


class OcopRatingFilter(django_filters.FilterSet):
    """The staff OCOP list. By default each product's latest rating ("current"); `history=all` lists every
    rating. The view binds the filter even without a query string so that the default applies."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    province = ProvinceFilter(field_name="product__producer__current_province")
    recorded_province = ProvinceFilter(field_name="product__producer__province", before_reform=True, empty_label=_("—"))
    stars = django_filters.ChoiceFilter(
        label=_("Stars"),
        choices=[(str(n), f"{n}★") for n in range(1, 6)],
        empty_label=_("All stars"),
        widget=FastSelect,
    )
    stars_min = django_filters.ChoiceFilter(
        label=_("At least"),
        field_name="stars",
        lookup_expr="gte",
        choices=[(str(n), f"≥ {n}★") for n in range(2, 6)],
        empty_label=_("Any"),
        widget=FastSelect,
    )
    group = group_filter()
    history = django_filters.ChoiceFilter(
        label=_("Ratings"),
        choices=[("all", _("All history"))],
        empty_label=_("Current (latest per product)"),
        method="filter_history",
        widget=FastSelect,
    )
    year = django_filters.NumberFilter(
        label=_("Decision year"),
        field_name="decision_date",
        lookup_expr="year",
        widget=forms.NumberInput(attrs={"min": 2012, "max": 2100, "inputmode": "numeric"}),
    )
    expiring = django_filters.NumberFilter(
        label=_("Expiring within (days)"),
        method="filter_expiring",
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"min": 0, "max": 3650, "inputmode": "numeric"}),
    )

    as_of = django_filters.DateFilter(
        label=_("Valid on"),
        method="filter_as_of",
        widget=DateInput(),
        help_text=_("Each product's latest rating decided by that day, if it is still valid that day."),
    )

    class Meta:
        model = OcopRating
        fields = ["q", "province", "recorded_province", "stars", "stars_min", "group", "history", "year", "expiring"]

    def filter_queryset(self, queryset):
        from .selectors import ocop_latest_only

        queryset = super().filter_queryset(queryset)
        as_of = self.form.cleaned_data.get("as_of")
        if self.form.cleaned_data.get("history") != "all":
            queryset = ocop_latest_only(queryset, as_of=as_of)
        if as_of is not None:  # what the dashboard's "actual" of a target year counts
            queryset = queryset.filter(decision_date__lte=as_of, valid_until__gte=as_of)
        return queryset

    def filter_as_of(self, queryset, name, value):
        return queryset  # applied in filter_queryset, together with "latest per product"

    def filter_history(self, queryset, name, value):
        return queryset  # applied in filter_queryset, where the default (current) is known

    def filter_expiring(self, queryset, name, value):
        import datetime

        from django.utils import timezone

        today = timezone.localdate()
        return queryset.filter(valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=int(value)))

    def filter_q(self, queryset, name, value):
        return search_filter(queryset, value, field="product__search_text")
