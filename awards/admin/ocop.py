"""Back office of OCOP ratings, criteria sets, star bands and targets, and of recognition targets."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.core.admin import ScopedAdminMixin

from .. import services
from ..models import (
    OcopCriteriaSet,
    OcopRating,
    OcopStarBand,
    OcopTarget,
    RecognitionTarget,
)
from ..resources import OcopRatingResource
from .product_records import ProductRecordAdminMixin


# -- OCOP --------------------------------------------------------------------------------------------------------------
# Criteria sets and star bands are reference data (portal.core.access): everyone reads them, superusers change them.
@admin.register(OcopCriteriaSet)
class OcopCriteriaSetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "legal_basis", "valid_from", "part_a_max", "part_b_max", "part_c_max")


@admin.register(OcopStarBand)
class OcopStarBandAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("stars", "min_score")


class _DryRun(Exception):  # noqa: N818 (a control-flow signal, not an error)
    pass


def _check_through_service(form, call) -> None:
    """Run a service in a savepoint that is rolled back, so its refusals show on the admin form; the admin's
    save_model then runs it for real."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        pass
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or gettext("You may not change this record."))


OCOP_RATING_FIELDS = [
    "product",
    "stars",
    "score",
    "part_a",
    "part_b",
    "part_c",
    "decision_number",
    "decision_date",
    "level",
    "valid_until",
    "note",
]


class OcopRatingAdminForm(forms.ModelForm):
    """Adding runs every check of services.ocop_rating_record (stars against the score's band, parts against the
    criteria set in force, province)."""

    class Meta:
        model = OcopRating
        fields = OCOP_RATING_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("valid_until", "level"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            _check_through_service(
                self,
                lambda: services.ocop_rating_record(
                    actor=self.request_user, **{k: data.get(k) for k in OCOP_RATING_FIELDS}
                ),
            )
        return data


@admin.register(OcopRating)
class OcopRatingAdmin(ProductRecordAdminMixin, ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    """Ratings are added through services.ocop_rating_record (one by one, or from a file through
    OcopRatingResource, which calls it); afterwards only their note changes (a new decision is a new rating: the
    history stays)."""

    resource_classes = [OcopRatingResource]
    form = OcopRatingAdminForm
    list_display = ("product", "producer_name", "stars", "score", "decision_number", "decision_date", "valid_until")
    list_filter = ("stars", "level", "criteria_set", "is_generated")
    list_select_related = ("product__producer",)
    date_hierarchy = "decision_date"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*[f for f in OCOP_RATING_FIELDS if f != "note"], "criteria_set", "reminded_at", "created_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return OCOP_RATING_FIELDS
        return (*self.get_readonly_fields(request, obj), "note")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["note"])
            return
        created = services.ocop_rating_record(
            actor=request.user, **{k: form.cleaned_data.get(k) for k in OCOP_RATING_FIELDS}
        )
        obj.pk = created.pk
        obj.refresh_from_db()


OCOP_TARGET_FIELDS = ["province", "year", "metric", "value", "note"]


class OcopTargetAdminForm(forms.ModelForm):
    class Meta:
        model = OcopTarget
        fields = OCOP_TARGET_FIELDS

    def validate_unique(self):
        pass  # a target of the same province, year and kind is changed (services.ocop_target_set)

    def target_data(self) -> dict:
        """The form's values; on a change the province, year and kind are read-only and come from the target."""
        return {k: self.cleaned_data[k] if k in self.fields else getattr(self.instance, k) for k in OCOP_TARGET_FIELDS}

    def clean(self):
        data = super().clean()
        if not self.errors:
            _check_through_service(
                self,
                lambda: services.ocop_target_set(actor=self.request_user, **self.target_data()),
            )
        return data


@admin.register(OcopTarget)
class OcopTargetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A province's targets by year; written through services.ocop_target_set (its own province only)."""

    form = OcopTargetAdminForm
    list_display = ("province", "year", "metric", "value", "note")
    list_filter = ("year", "metric")
    list_select_related = ("province",)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return ("province", "year", "metric") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        saved = services.ocop_target_set(actor=request.user, **form.target_data())
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(RecognitionTarget)
class RecognitionTargetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A province's planned recognitions per level and period (e.g. Hà Giang 2022–2030: 73 district, 63
    province). The province may be one as it was before 1 July 2025: staff see those of their province today."""

    list_display = ("province", "level", "period_start", "period_end", "year", "count", "source")
    list_filter = ("level", "period_start", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("province__name", "source")
    list_select_related = ("province", "level")
