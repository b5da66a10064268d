"""Reads of the public catalogue: recognised products (at least one recognition at any level), what each card shows
and the product page. Nothing here returns a tax code, a document, a nomination or a score.

A page costs a fixed number of queries whatever the data: the page's keys, then its rows with every card value
computed by correlated subqueries for those rows only, then one prefetch of their recognitions. The count, the
page's rows and the filter options are cached (CATALOGUE_CACHE_SECONDS) under a key that changes whenever a
recognition, an OCOP rating or a photo is added (data_version), so a product recognised or imported a moment ago
shows up at once. Only data is cached, never a response: the page header shows who is signed in.
"""

import dataclasses
import hashlib
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from awards.models import Certificate, OcopRating, Recognition
from awards.selectors import recognition_levels
from products.models import AdministrativeUnit, Product, ProductGroup, ProductPhoto
from products.search import query_terms

from . import ranking

PAGE_SIZE = 24
STAR_CHOICES = (3, 4, 5)
CACHE_PREFIX = "catalogue:v2"


def cache_seconds() -> int:
    return int(getattr(settings, "CATALOGUE_CACHE_SECONDS", 120))


# -- what is recognised --------------------------------------------------------------------------------------------
def _is_recognised():
    return Exists(Recognition.objects.filter(product_id=OuterRef("pk")))


def recognised_products() -> QuerySet[Product]:
    return Product.objects.filter(_is_recognised())


def is_recognised(product_id: int) -> bool:
    return Recognition.objects.filter(product_id=product_id).exists()


def _current_rating(today):
    """The product's latest OCOP rating still valid today (newest decision first, then the latest entry)."""
    return OcopRating.objects.filter(product_id=OuterRef("pk"), valid_until__gte=today).order_by(
        "-decision_date", "-pk"
    )


# -- the filters ---------------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class CatalogueQuery:
    """The list's search and filters as the user typed them, validated against the options (an unknown value is
    ignored rather than an error: old links keep working)."""

    q: str = ""
    province: int | None = None
    old_province: int | None = None  # the province as recorded, before the 2025 reform
    group: int | None = None
    level: int | None = None  # a level's rank: district and commune share rank 1
    stars: int | None = None
    sort: str = ranking.NEWEST  # relevance (only with a search), newest recognition, name

    @classmethod
    def from_params(cls, params, options: dict) -> "CatalogueQuery":
        def choice(name, allowed):
            value = (params.get(name) or "").strip()
            return int(value) if value.isdigit() and int(value) in allowed else None

        q = " ".join((params.get("q") or "").split())[:100]
        sort = (params.get("sort") or "").strip()
        if sort not in ranking.SORTS or (sort == ranking.RELEVANCE and not q):
            sort = ranking.default_sort(q)
        return cls(
            q=q,
            sort=sort,
            province=choice("province", {p["id"] for p in options["provinces"]}),
            old_province=choice("old_province", {p["id"] for p in options["old_provinces"]}),
            group=choice("group", {g["id"] for g in options["groups"]}),
            level=choice("level", {rank for rank, _name in options["levels"]}),
            stars=choice("stars", set(STAR_CHOICES)),
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.province or self.old_province or self.group or self.level or self.stars)

    def key(self) -> str:
        raw = f"{self.q}|{self.province}|{self.old_province}|{self.group}|{self.level}|{self.stars}|{self.sort}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _search(qs: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Every folded word must occur in the product's folded text (name, producer, places: "lap suon" finds "Lạp
    sườn"). That text holds the producer's tax code too, which the public must not be able to probe: a word of
    digits only is therefore matched against the product's and producer's names as written."""
    condition = Q()
    for term in query_terms(query):
        if term.replace("-", "").isdigit():
            condition &= Q(name__contains=term) | Q(producer__name__contains=term)
        else:
            condition &= Q(search_text__contains=term)
    return qs.filter(condition)


def filtered_products(query: CatalogueQuery, today=None) -> QuerySet[Product]:
    today = today or timezone.localdate()
    qs = recognised_products()
    if query.q:
        qs = _search(qs, query.q)
    if query.province:
        qs = qs.filter(producer__current_province_id=query.province)
    if query.old_province:
        qs = qs.filter(producer__province_id=query.old_province)
    if query.group:
        qs = qs.filter(group_id=query.group)
    if query.level:
        qs = qs.filter(Exists(Recognition.objects.filter(product_id=OuterRef("pk"), level__rank=query.level)))
    if query.stars:
        # Products whose current rating (the latest still valid) has these stars; an older 5★ replaced by a newer
        # 4★ does not count. The Exists first narrows to products with a valid rating of these stars (an index
        # probe), so the latest-rating subquery runs for those only, not for every recognised product.
        qs = qs.filter(
            Exists(OcopRating.objects.filter(product_id=OuterRef("pk"), stars=query.stars, valid_until__gte=today))
        )
        qs = qs.annotate(current_stars=Subquery(_current_rating(today).values("stars")[:1])).filter(
            current_stars=query.stars
        )
    return ranking.ordered(qs, query.sort, query.q)


# -- cached pieces -------------------------------------------------------------------------------------------------
def data_version() -> str:
    """Changes whenever a recognition, an OCOP rating or a photo is added, and every day (a rating's validity ends
    at midnight): one query on three primary-key indexes. (A deleted recognition or photo, a renamed product or a
    moved producer shows after CATALOGUE_CACHE_SECONDS at most.)"""
    parts = []
    for model in (Recognition, OcopRating, ProductPhoto):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT MAX(id) FROM {table})")  # noqa: S608 (model tables, no user input)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        ids = "-".join(str(v or 0) for v in cursor.fetchone())
    return f"{timezone.localdate():%Y%m%d}-{ids}"


def _cached(key: str, compute):
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _recognised_counts() -> tuple[Counter, Counter]:
    """How many recognised products each province (today's, of the producer) and each group has, for the browse
    tiles: one GROUP BY over the recognised products (a correlated count per province and per group read them
    once per province, four times as long with 100,000 recognised products)."""
    by_province, by_group = Counter(), Counter()
    pairs = recognised_products().order_by().values_list("producer__current_province_id", "group_id")
    for province_id, group_id, n in pairs.annotate(n=Count("pk")):
        by_province[province_id] += n
        by_group[group_id] += n
    return by_province, by_group


def filter_options(version: str) -> dict:
    """Today's provinces, the product groups (each with its number of recognised products, for the browse tiles),
    the award levels (by rank) and the OCOP stars, as plain data."""

    def compute():
        levels = []
        for level in recognition_levels().values("rank", "name"):
            if levels and levels[-1][0] == level["rank"]:
                levels[-1] = (level["rank"], f"{levels[-1][1]} / {level['name']}")
            else:
                levels.append((level["rank"], level["name"]))
        # Today's provinces and those before the reform in one query (today's first, each in dictionary order).
        provinces = AdministrativeUnit.objects.provinces(before_reform=True)
        provinces = list(provinces.values("id", "name", "is_current"))
        by_province, by_group = _recognised_counts()
        groups = ProductGroup.objects.order_by("order", "code").values("id", "name")
        return {
            "provinces": [
                {"id": p["id"], "name": p["name"], "n": by_province[p["id"]]} for p in provinces if p["is_current"]
            ],
            "old_provinces": [{"id": p["id"], "name": p["name"]} for p in provinces if not p["is_current"]],
            "groups": [{**g, "n": by_group[g["id"]]} for g in groups],
            "levels": levels,
            "stars": list(STAR_CHOICES),
        }

    return _cached(f"{CACHE_PREFIX}:options:{version}:{get_language()}", compute)


def filtered_count(query: CatalogueQuery, version: str, qs: QuerySet[Product]) -> int:
    return _cached(f"{CACHE_PREFIX}:count:{version}:{query.key()}", qs.count)


def cached_page(query: CatalogueQuery, version: str, qs: QuerySet[Product], bottom: int, top: int) -> list[Product]:
    """The rows of one page, with their card values: its keys, then the rows (cached like the count)."""

    def compute():
        keys = ranking.page_keys(qs, query.sort, query.q, bottom, top, filtered=query.is_filtered)
        return page_rows(keys)

    return _cached(f"{CACHE_PREFIX}:page:{version}:{query.key()}:{bottom}:{top}", compute)


# -- the cards -----------------------------------------------------------------------------------------------------
def _levels_prefetch():
    return Prefetch(
        "recognitions",
        queryset=Recognition.objects.select_related("level").order_by("level__rank", "year", "id"),
        to_attr="public_recognitions",
    )


def annotate_cards(qs: QuerySet[Product], today=None) -> QuerySet[Product]:
    """What a card shows: first photo, current OCOP stars, today's province, group, the levels reached."""
    today = today or timezone.localdate()
    first_photo = ProductPhoto.objects.filter(product_id=OuterRef("pk")).order_by("uploaded_at", "id")
    return (
        qs.select_related("group", "producer__current_province", "producer__province")
        .only(
            "id",
            "name",
            "group__name",
            "producer__name",
            "producer__kind",
            "producer__current_province__name",
            "producer__province__name",
        )
        .annotate(
            photo_uid=Subquery(first_photo.values("uid")[:1]),
            photo_caption=Subquery(first_photo.values("caption")[:1]),
            ocop_stars=Subquery(_current_rating(today).values("stars")[:1]),
        )
        .prefetch_related(_levels_prefetch())
    )


def levels_reached(recognitions) -> list[dict]:
    """Each level once (lowest first) with the years it was reached; the last is the highest."""
    by_level: dict[int, dict] = {}
    for r in recognitions:
        entry = by_level.setdefault(r.level_id, {"name": r.level.name, "rank": r.level.rank, "years": []})
        if r.year not in entry["years"]:
            entry["years"].append(r.year)
    return sorted(by_level.values(), key=lambda e: (e["rank"], e["years"][0]))


def page_rows(keys: list[int], today=None) -> list[Product]:
    rows = {p.pk: p for p in annotate_cards(Product.objects.filter(pk__in=keys), today)}
    result = []
    for key in keys:
        product = rows.get(key)
        if product is None:
            continue
        product.levels = levels_reached(product.public_recognitions)
        product.highest_level = product.levels[-1] if product.levels else None
        result.append(product)
    return result


# -- the product page ----------------------------------------------------------------------------------------------
def public_product(pk: int) -> Product:
    """A recognised product with its producer's public facts; Http404 for anything else."""
    qs = recognised_products().select_related(
        "group", "producer__current_province", "producer__province", "producer__unit", "producer__current_unit"
    )
    product = qs.filter(pk=pk).first()
    if product is None:
        raise Http404
    return product


def product_page(product: Product, today=None) -> dict:
    """Photos, recognitions by level and year with their certificates, OCOP stars over time: four queries."""
    today = today or timezone.localdate()
    photos = list(product.photos.order_by("uploaded_at", "id").only("uid", "caption", "product_id"))
    certificates = Prefetch(
        "certificates",
        queryset=Certificate.objects.only(
            "id", "recognition_id", "number", "code", "issued_on", "valid_until", "status", "year", "serial"
        ).order_by("-issued_on", "-id"),
        to_attr="public_certificates",
    )
    recognitions = list(
        Recognition.objects.filter(product=product)
        .select_related("level")
        .only("id", "product_id", "year", "decision_number", "decision_date", "level__name", "level__rank")
        .prefetch_related(certificates)
        .order_by("-level__rank", "-year", "-id")
    )
    for r in recognitions:
        for c in r.public_certificates:
            c.public_state = c.state(today)
    ratings = list(
        OcopRating.objects.filter(product=product)
        .only("id", "product_id", "stars", "level", "decision_number", "decision_date", "valid_until")
        .order_by("-decision_date", "-pk")
    )
    current = next((r for r in ratings if r.valid_until >= today), None)
    for rating in ratings:
        rating.is_valid_today = rating.valid_until >= today
    levels = levels_reached(sorted(recognitions, key=lambda r: (r.level.rank, r.year)))
    return {
        "photos": photos,
        "recognitions": recognitions,
        "levels": levels,
        "highest_level": levels[-1] if levels else None,
        "ratings": ratings,
        "current_rating": current,
    }


def public_contact(producer) -> dict:
    """Only what the producer chose to publish."""
    return {
        "address": producer.full_address if producer.publish_address else "",
        "phone": producer.phone if producer.publish_phone else "",
        "email": producer.email if producer.publish_email else "",
        "website": producer.website if producer.publish_website else "",
    }


def public_photo(uid) -> ProductPhoto:
    """A photo of a recognised product; Http404 for any other (including a product's private photos)."""
    photo = ProductPhoto.objects.filter(uid=uid).filter(
        Exists(Recognition.objects.filter(product_id=OuterRef("product_id")))
    )
    photo = photo.only("id", "uid", "image", "content_type", "uploaded_at", "product_id").first()
    if photo is None:
        raise Http404
    return photo
