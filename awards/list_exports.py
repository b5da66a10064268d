"""Columns of the Excel/CSV exports of the staff lists of the awards app: rounds, a round's dossiers, recognitions,
certificates and OCOP ratings."""

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.core.list_exports import ListResource, date_col, label_col, money_col, number_col, text_col, yes_no_col

from .enums import CertificateStatus, NominationStatus, PhaseKind
from .models import Certificate, Nomination, OcopRating, Recognition, Round, RoundPhase


class RoundListExport(ListResource):
    title = text_col("title", _("Round"))
    level = text_col("level__name", _("Level"))
    year = number_col("year", _("Year"))
    area = text_col("area_label", _("Area"))
    organiser = text_col("organiser__name", _("Organiser"))
    status = label_col("status", _("Status"))
    registration_from = date_col("export_registration_from", _("Registration from"))
    registration_until = date_col("export_registration_until", _("Registration until"))
    min_score = number_col("min_score", _("Minimum score for recognition"))
    dossiers = number_col("export_dossiers", _("Dossiers received"))

    class Meta:
        model = Round
        fields = (
            "title",
            "level",
            "year",
            "area",
            "organiser",
            "status",
            "registration_from",
            "registration_until",
            "min_score",
            "dossiers",
        )
        export_order = fields

    def prepare(self, queryset):
        phase = RoundPhase.objects.filter(round=OuterRef("pk"), kind=PhaseKind.REGISTRATION)
        dossiers = (
            Nomination.objects.filter(round=OuterRef("pk"))
            .exclude(status=NominationStatus.DRAFT)
            .order_by()
            .values("round")
            .annotate(n=Count("id"))
        )
        return (
            queryset.select_related("level", "organiser", "province", "local_unit", "region")
            .prefetch_related(None)
            .annotate(
                export_registration_from=Subquery(phase.values("starts_on")[:1]),
                export_registration_until=Subquery(phase.values("ends_on")[:1]),
                export_dossiers=Coalesce(Subquery(dossiers.values("n"), output_field=IntegerField()), Value(0)),
            )
        )


class NominationListExport(ListResource):
    receipt_code = text_col("receipt_code", _("Receipt code"))
    product = text_col("product__name", _("Product"))
    product_id = text_col("product_id", _("Product code"))
    group = text_col("product__group__name", _("Product group"))
    producer = text_col("producer__name", _("Producer"))
    tax_code = text_col("producer__tax_code", _("Tax or registration number"))
    current_province = text_col("producer__current_province__name", _("Province (today)"))
    province = text_col("producer__province__name", _("Province as recorded"))
    status = label_col("status", _("Status"))
    submitted_at = date_col("submitted_at", _("Submitted on"))
    missing = number_col("missing_count", _("Missing items"))
    annual_output = text_col("annual_output", _("Annual output"))
    annual_revenue = money_col("annual_revenue", _("Annual revenue of the product (VND)"))
    workers = number_col("workers", _("Workers making the product"))
    paper = yes_no_col("entered_by_staff", _("Paper dossier"))

    class Meta:
        model = Nomination
        fields = (
            "receipt_code",
            "product",
            "product_id",
            "group",
            "producer",
            "tax_code",
            "current_province",
            "province",
            "status",
            "submitted_at",
            "missing",
            "annual_output",
            "annual_revenue",
            "workers",
            "paper",
        )
        export_order = fields

    def prepare(self, queryset):
        return queryset.select_related("product__group", "producer__current_province", "producer__province")


def current_certificate(recognition_ref: str):
    """The certificate in force of a recognition if any, else its latest one."""
    valid_first = Case(When(status=CertificateStatus.VALID, then=Value(0)), default=Value(1))
    return Certificate.objects.filter(recognition=OuterRef(recognition_ref)).order_by(valid_first, "-issued_on", "-pk")


class RecognitionListExport(ListResource):
    product = text_col("product__name", _("Product"))
    product_id = text_col("product_id", _("Product code"))
    group = text_col("product__group__name", _("Product group"))
    producer = text_col("product__producer__name", _("Producer"))
    tax_code = text_col("product__producer__tax_code", _("Tax or registration number"))
    current_province = text_col("product__producer__current_province__name", _("Province (today)"))
    province = text_col("product__producer__province__name", _("Province as recorded"))
    level = text_col("level__name", _("Level"))
    year = number_col("year", _("Year"))
    decision_number = text_col("decision_number", _("Decision number"))
    decision_date = date_col("decision_date", _("Decision date"))
    valid_until = date_col("valid_until", _("Certificate valid until"))
    certificate = text_col("export_certificate", _("Certificate number"))
    source = label_col("source", _("Source"))

    class Meta:
        model = Recognition
        fields = (
            "product",
            "product_id",
            "group",
            "producer",
            "tax_code",
            "current_province",
            "province",
            "level",
            "year",
            "decision_number",
            "decision_date",
            "valid_until",
            "certificate",
            "source",
        )
        export_order = fields

    def prepare(self, queryset):
        return queryset.select_related(
            "level", "product__group", "product__producer__province", "product__producer__current_province"
        ).annotate(export_certificate=Subquery(current_certificate("pk").values("number")[:1]))


class CertificateListExport(ListResource):
    number = text_col("number", _("Certificate number"))
    product = text_col("product_name", _("Product"))
    group = text_col("group_name", _("Product group"))
    producer = text_col("producer_name", _("Producer"))
    address = text_col("producer_address", _("Address"))
    province = text_col("province_name", _("Province"))
    level = text_col("level_name", _("Level"))
    year = number_col("recognition_year", _("Year recognised"))
    decision_number = text_col("decision_number", _("Decision number"))
    decision_date = date_col("decision_date", _("Decision date"))
    issuing_body = text_col("issuing_body__name", _("Certificate issued by"))
    issued_on = date_col("issued_on", _("Issue date"))
    valid_until = date_col("valid_until", _("Valid until"))
    state = text_col("get_state_display", _("State"))

    class Meta:
        model = Certificate
        fields = (
            "number",
            "product",
            "group",
            "producer",
            "address",
            "province",
            "level",
            "year",
            "decision_number",
            "decision_date",
            "issuing_body",
            "issued_on",
            "valid_until",
            "state",
        )
        export_order = fields

    def prepare(self, queryset):
        return queryset.select_related("issuing_body")


class OcopRatingListExport(ListResource):
    product = text_col("product__name", _("Product"))
    product_id = text_col("product_id", _("Product code"))
    producer = text_col("product__producer__name", _("Producer"))
    tax_code = text_col("product__producer__tax_code", _("Tax or registration number"))
    current_province = text_col("product__producer__current_province__name", _("Province (today)"))
    province = text_col("product__producer__province__name", _("Province as recorded"))
    stars = number_col("stars", _("Stars"))
    score = number_col("score", _("Score"))
    part_a = number_col("part_a", _("Part A"))
    part_b = number_col("part_b", _("Part B"))
    part_c = number_col("part_c", _("Part C"))
    criteria_set = text_col("criteria_set__name", _("Criteria set"))
    level = label_col("level", _("Evaluated at"))
    decision_number = text_col("decision_number", _("Decision number"))
    decision_date = date_col("decision_date", _("Decision date"))
    valid_until = date_col("valid_until", _("Valid until"))
    current = yes_no_col("is_current", _("In force"))

    class Meta:
        model = OcopRating
        fields = (
            "product",
            "product_id",
            "producer",
            "tax_code",
            "current_province",
            "province",
            "stars",
            "score",
            "part_a",
            "part_b",
            "part_c",
            "criteria_set",
            "level",
            "decision_number",
            "decision_date",
            "valid_until",
            "current",
        )
        export_order = fields

    def prepare(self, queryset):
        return queryset.select_related(
            "criteria_set", "product__producer__province", "product__producer__current_province"
        )
