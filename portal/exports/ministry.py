"""The nominations and archive recognitions in the fixed layout the ministry's national SPCNNTTB database maps from
(docs/ministry_export.md). The layout is a contract: column codes and their order never change; a new column may
only be added at the end. Values are written in Vietnamese whatever the user's language, so two files always
compare."""

from dataclasses import dataclass

from django.db.models import Case, OuterRef, Subquery, Value, When
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from awards.enums import CertificateStatus, NominationStatus
from awards.models import Certificate, Nomination, Recognition, Round
from awards.selectors import round_results

PORTAL, ARCHIVE = "portal", "archive"
SCORED_STATES = {NominationStatus.SCORED, NominationStatus.RECOGNISED, NominationStatus.NOT_RECOGNISED}


@dataclass(frozen=True)
class Column:
    code: str
    meaning: Promise
    kind: str | None = None  # "date" / "decimal": how Excel formats it


COLUMNS = (
    Column("MA_BAN_GHI", _("Stable key of the row: HS-<dossier id>, or CN-<recognition id> for the archive.")),
    Column("NGUON", _("Source of the row: portal (a dossier in the portal) or archive (recorded from paper).")),
    Column("MA_HO_SO", _("Receipt code of the dossier, e.g. CB-2026-T-0042; empty for the archive.")),
    Column("MA_SAN_PHAM", _("Product code in the portal (stable).")),
    Column("TEN_SAN_PHAM", _("Product name.")),
    Column("MA_SO_THUE", _("Producer's tax or registration number, as text (leading zeros kept).")),
    Column("TEN_CO_SO", _("Producer name.")),
    Column("LOAI_HINH", _("Producer kind: enterprise, cooperative, cooperative_group or household.")),
    Column("MA_NHOM", _("Product group code: 1 to 4 (Thông tư 26/2014/TT-BCT).")),
    Column("TEN_NHOM", _("Product group name.")),
    Column("MA_CAP", _("Level code: district (until 30/06/2025), commune, province, region, national.")),
    Column("TEN_CAP", _("Level name.")),
    Column("MA_DOT", _("Round code in the portal; empty for the archive.")),
    Column("TEN_DOT", _("Round title; empty for the archive.")),
    Column("NAM", _("Year of the round (of the recognition, for the archive).")),
    Column("MA_TINH", _("Official two-digit code of the producer's province today (34 provinces).")),
    Column("TEN_TINH", _("Producer's province today.")),
    Column("MA_TINH_GHI_NHAN", _("Official two-digit code of the province as recorded (63 provinces before 2025).")),
    Column("TEN_TINH_GHI_NHAN", _("Province as recorded.")),
    Column("TINH_TRUOC_2025", _("1 when the province as recorded is a province before 1 July 2025, else 0.")),
    Column("TRANG_THAI", _("Status code of the dossier (see the list of values); recognised for the archive.")),
    Column("TEN_TRANG_THAI", _("Status, in words.")),
    Column("DIEM", _("Council score out of 100 (two decimals), once the dossier is scored; else empty."), "decimal"),
    Column("SO_QUYET_DINH", _("Number of the recognition decision (recognised products only).")),
    Column("NGAY_QUYET_DINH", _("Date of the recognition decision (dd/mm/yyyy)."), "date"),
    Column("SO_GCN", _("Certificate number: the one in force, else the latest issued.")),
    Column("NGAY_CAP_GCN", _("Issue date of that certificate (dd/mm/yyyy)."), "date"),
    Column(
        "GCN_HIEU_LUC_DEN",
        _("Certificate valid until (dd/mm/yyyy): set by the recognition decision, the same on all its certificates."),
        "date",
    ),
)
HEADERS = [c.code for c in COLUMNS]
KINDS = [c.kind for c in COLUMNS]


@dataclass(frozen=True)
class Selection:
    """What to export. `province_id` None means every province (national accounts only)."""

    province_id: int | None = None
    round_id: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    level_id: int | None = None

    def narrow(self, qs, **lookups):
        """`qs` narrowed to what is chosen: `lookups` maps each attribute above to the lookup that filters by it."""
        for attribute, lookup in lookups.items():
            value = getattr(self, attribute)
            if value is not None:
                qs = qs.filter(**{lookup: value})
        return qs


def _certificate_annotations(recognition_filter: str) -> dict:
    valid_first = Case(When(status=CertificateStatus.VALID, then=Value(0)), default=Value(1))
    current = Certificate.objects.filter(**{recognition_filter: OuterRef("pk")}).order_by(
        valid_first, "-issued_on", "-pk"
    )
    return {
        "export_certificate": Subquery(current.values("number")[:1]),
        "export_certificate_issued": Subquery(current.values("issued_on")[:1]),
    }


def nominations(selection: Selection):
    qs = Nomination.objects.exclude(status=NominationStatus.DRAFT)
    qs = selection.narrow(
        qs,
        province_id="producer__current_province_id",
        round_id="round_id",
        year_from="round__year__gte",
        year_to="round__year__lte",
        level_id="round__level_id",
    )
    return (
        qs.select_related(
            "round__level",
            "product__group",
            "producer__province",
            "producer__current_province",
            "recognition",
        )
        .annotate(**_certificate_annotations("recognition__nomination"))
        .order_by("round__year", "round__level__rank", "round_id", "receipt_code", "pk")
    )


def archive_recognitions(selection: Selection):
    """Recognitions without a dossier in the portal (recorded from the paper archive). A round chosen excludes them:
    they belong to no round of the portal."""
    if selection.round_id is not None:
        return Recognition.objects.none()
    qs = Recognition.objects.filter(nomination__isnull=True)
    qs = selection.narrow(
        qs,
        province_id="product__producer__current_province_id",
        year_from="year__gte",
        year_to="year__lte",
        level_id="level_id",
    )
    return (
        qs.select_related(
            "level", "product__group", "product__producer__province", "product__producer__current_province"
        )
        .annotate(**_certificate_annotations("recognition"))
        .order_by("year", "level__rank", "product__name", "pk")
    )


def scores(selection: Selection) -> dict[int, object]:
    """Each scored dossier's council score, as the results page computes it: a few queries per round with a
    council, whatever the number of dossiers."""
    scored = nominations(selection).filter(status__in=SCORED_STATES)
    rounds = Round.objects.filter(pk__in=scored.values("round_id"), council__isnull=False).select_related("council")
    result = {}
    for round_ in rounds:
        for row in round_results(round_):
            result[row.nomination.pk] = row.result.score
    return result


def _code(unit) -> str:
    return f"{unit.code:02d}"


def _province_columns(producer) -> list:
    today, recorded = producer.current_province, producer.province
    return [_code(today), today.name, _code(recorded), recorded.name, 0 if recorded.is_current else 1]


def _product_columns(product, producer) -> list:
    return [
        str(product.pk),
        product.name,
        producer.tax_code,
        producer.name,
        producer.kind,
        product.group.code,
        product.group.name,
    ]


def nomination_row(nomination, score) -> list:
    recognition = getattr(nomination, "recognition", None)
    round_ = nomination.round
    return [
        f"HS-{nomination.pk}",
        PORTAL,
        nomination.receipt_code or "",
        *_product_columns(nomination.product, nomination.producer),
        round_.level.code,
        round_.level.name,
        str(round_.pk),
        round_.title,
        round_.year,
        *_province_columns(nomination.producer),
        nomination.status,
        nomination.get_status_display(),
        score if nomination.status in SCORED_STATES else None,
        recognition.decision_number if recognition else "",
        recognition.decision_date if recognition else None,
        nomination.export_certificate or "",
        nomination.export_certificate_issued,
        recognition.valid_until if recognition else None,  # the certificate copies it (awards.validity)
    ]


def recognition_row(recognition) -> list:
    product = recognition.product
    return [
        f"CN-{recognition.pk}",
        ARCHIVE,
        "",
        *_product_columns(product, product.producer),
        recognition.level.code,
        recognition.level.name,
        "",
        "",
        recognition.year,
        *_province_columns(product.producer),
        NominationStatus.RECOGNISED.value,
        str(NominationStatus.RECOGNISED.label),
        None,
        recognition.decision_number,
        recognition.decision_date,
        recognition.export_certificate or "",
        recognition.export_certificate_issued,
        recognition.valid_until,
    ]


def rows(selection: Selection):
    """Every row of the export, dossiers first, then the archive; labels in Vietnamese."""
    with translation.override("vi"):
        score_of = scores(selection)
        for nomination in nominations(selection).iterator(chunk_size=2000):
            yield nomination_row(nomination, score_of.get(nomination.pk))
        for recognition in archive_recognitions(selection).iterator(chunk_size=2000):
            yield recognition_row(recognition)


def legend() -> list[list[str]]:
    with translation.override("vi"):
        return [[str(_("Column")), str(_("Meaning"))], *([c.code, str(c.meaning)] for c in COLUMNS)]
