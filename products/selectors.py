"""Reads that more than one view needs."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.core.access import is_producer, is_staff, scoped

from .models import AdministrativeUnit, Document, Producer, Product, ProductPhoto
from .search import query_terms


def producers_visible_to(user) -> QuerySet[Producer]:
    qs = Producer.objects.all()
    return scoped(qs, user) if is_staff(user) or is_producer(user) else qs.none()


def products_visible_to(user) -> QuerySet[Product]:
    qs = Product.objects.all()
    return scoped(qs, user) if is_staff(user) or is_producer(user) else qs.none()


def search_filter(qs: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Every folded word of the query must occur in the folded text (accent- and case-insensitive)."""
    condition = Q()
    for term in query_terms(query):
        condition &= Q(**{f"{field}__contains": term})
    return qs.filter(condition)


def producer_list(user) -> QuerySet[Producer]:
    # A correlated count rather than JOIN + GROUP BY: PostgreSQL evaluates it for the page's rows only,
    # and the model's ordering still applies (Django drops Meta.ordering from GROUP BY queries).
    product_count = (
        Product.objects.filter(producer=OuterRef("pk"))
        .order_by()
        .values("producer")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        producers_visible_to(user)
        .select_related("province", "current_province", "unit")
        .annotate(product_count=Coalesce(Subquery(product_count), 0))
        .order_by("name", "id")
    )


def product_list(user) -> QuerySet[Product]:
    return products_visible_to(user).select_related(
        "producer", "producer__current_province", "producer__province", "group"
    )


def producer_detail(producer_id: int, user) -> Producer:
    return (
        producers_visible_to(user)
        .select_related("province", "current_province", "unit", "unit__parent", "created_by")
        .get(pk=producer_id)
    )


def producer_products(producer: Producer) -> QuerySet[Product]:
    return producer.products.select_related("group").annotate(photo_count=Count("photos"))


def producer_documents(producer: Producer) -> QuerySet[Document]:
    return producer.documents.select_related("doc_type", "product")


def product_photos(product: Product) -> QuerySet[ProductPhoto]:
    return product.photos.all()


def history_entries(history_qs, kind_label, label_of) -> list[dict]:
    """Change entries of one historical model, with the fields that changed against the previous version
    of the same record, computed in Python so the page costs a fixed number of queries, whatever its size."""
    model = history_qs.model
    fields = [
        f
        for f in model.instance_type._meta.concrete_fields
        if f.name not in ("id", "uid", "search_text", "created_at", "updated_at", "created_by")
    ]
    entries, previous, wanted = [], {}, {}
    for row in history_qs.select_related("history_user").order_by("id", "history_date", "history_id"):
        before = previous.get(row.id)
        changes = []
        if before is not None:
            for f in fields:
                old, new = getattr(before, f.attname), getattr(row, f.attname)
                if old != new:
                    changes.append({"field": f, "old": old, "new": new})
                    if f.is_relation:
                        wanted.setdefault(f.related_model, set()).update(v for v in (old, new) if v is not None)
        previous[row.id] = row
        entries.append(
            {
                "date": row.history_date,
                "user": row.history_user,
                "action": row.history_type,
                "kind": kind_label,
                "label": label_of(row),
                "changes": changes,
            }
        )
    # Show related records and choices by their names, one query per related model.
    related = {m: m._default_manager.in_bulk(ids) for m, ids in wanted.items()}
    for entry in entries:
        for change in entry["changes"]:
            f = change.pop("field")
            change["field"] = f.verbose_name
            for side in ("old", "new"):
                value = change[side]
                if f.is_relation and value is not None:
                    change[side] = related[f.related_model].get(value, value)
                elif f.choices:
                    change[side] = dict(f.flatchoices).get(value, value)
    return entries


def producer_history(producer: Producer, limit: int = 100) -> list[dict]:
    """Everything that happened to a producer, its products, photos and documents, newest first."""
    product_ids = list(Product.history.filter(producer_id=producer.pk).values_list("id", flat=True).distinct())
    entries = (
        history_entries(Producer.history.filter(id=producer.pk), _("Producer"), lambda r: r.name)
        + history_entries(Product.history.filter(producer_id=producer.pk), _("Product"), lambda r: r.name)
        + history_entries(
            ProductPhoto.history.filter(product_id__in=product_ids),
            _("Photo"),
            lambda r: r.caption or r.original_name,
        )
        + history_entries(
            Document.history.filter(producer_id=producer.pk).select_related("doc_type"),
            _("Document"),
            lambda r: f"{r.doc_type} {r.number}".strip(),
        )
    )
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


def product_history(product: Product, limit: int = 100) -> list[dict]:
    entries = (
        history_entries(Product.history.filter(id=product.pk), _("Product"), lambda r: r.name)
        + history_entries(
            ProductPhoto.history.filter(product_id=product.pk), _("Photo"), lambda r: r.caption or r.original_name
        )
        + history_entries(
            Document.history.filter(product_id=product.pk).select_related("doc_type"),
            _("Document"),
            lambda r: f"{r.doc_type} {r.number}".strip(),
        )
    )
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


def units_under(province_id) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(parent_id=province_id).order_by("name")


def documents_on_file(*, producer, product, doc_type, on) -> QuerySet[Document]:
    """The documents of a type a product can use on a day: the product's own and its producer's general ones,
    not expired then. Unordered: each caller says which comes first."""
    return (
        Document.objects.filter(producer=producer, doc_type=doc_type)
        .filter(Q(product=product) | Q(product__isnull=True))
        .valid_on(on)
    )
