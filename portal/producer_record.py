"""The producer's record: its products and, per product, the nominations, recognitions by level, certificates and
OCOP ratings; the khuyến công support it received and the fairs it took part in. The answer to "trace a product
across levels", for the department's staff (their province) and for the producer itself (its own only).

For staff it is the producer's page: one page with the establishment, its documents, accounts and history too, under
two names, `products:staff.producer.detail` and `record:staff.producer.detail` (portal/record_urls.py). The
producer's own record stays apart from its profile (portal/registry_pages.py): that page is the one it edits.

It gathers three apps (products, awards, extension_projects), so it lives in portal (docs/architecture.md). The
page costs a fixed number of queries whatever the number of products: every relation is prefetched."""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from awards.enums import NominationStatus
from awards.models import Nomination, OcopRating, Recognition
from awards.selectors import certificates_of_producer
from extension_projects.enums import FundingSource
from extension_projects.models import FairParticipation, Project
from portal.core.audience import Audience, ProducerAudience, StaffAudience
from products.models import Product
from products.selectors import producer_documents, producer_history, producers_visible_to, products_visible_to


def record_products(producer, *, audience: Audience, product=None) -> list[Product]:
    nominations = Nomination.objects.select_related("round__level").order_by("-round__year", "-round__level__rank")
    if audience == Audience.STAFF:
        # A draft is the producer's working copy: the department sees a dossier once it is sent.
        nominations = nominations.exclude(status=NominationStatus.DRAFT)
    recognitions = (
        Recognition.objects.select_related("level")
        .prefetch_related(Prefetch("certificates", queryset=certificates_of_producer(producer), to_attr="record_certs"))
        .order_by("level__rank", "year")
    )
    ratings = OcopRating.objects.select_related("criteria_set").order_by("-decision_date", "-pk")
    qs = Product.objects.filter(producer=producer) if product is None else Product.objects.filter(pk=product.pk)
    return list(
        qs.select_related("group")
        .annotate(photo_count=Count("photos"))
        .order_by("name", "id")
        .prefetch_related(
            Prefetch("nominations", queryset=nominations, to_attr="record_nominations"),
            Prefetch("recognitions", queryset=recognitions, to_attr="record_recognitions"),
            Prefetch("ocop_ratings", queryset=ratings, to_attr="record_ratings"),
        )
    )


def record_support(producer) -> list[Project]:
    """Khuyến công projects the producer benefited from, with the approved (and settled) amount per source."""
    projects = list(
        Project.objects.filter(beneficiaries=producer)
        .select_related("activity_type")
        .prefetch_related("fundings")
        .order_by("-plan_year", "code")
    )
    for project in projects:
        fundings = {f.source: f for f in project.fundings.all()}
        project.record_amounts = [
            (source, fundings[source].approved if source in fundings else None) for source in FundingSource.values
        ]
        project.record_total = sum(f.approved for f in fundings.values())
    return projects


def record_fairs(producer, *, product=None) -> list[FairParticipation]:
    qs = FairParticipation.objects.filter(producer=producer)
    if product is not None:
        qs = qs.filter(products=product)
    return list(
        qs.select_related("fair", "project")
        .prefetch_related(Prefetch("products", queryset=Product.objects.order_by("name", "id")))
        .order_by("-fair__starts_on", "fair__name", "pk")
    )


def current_rating(ratings, today: datetime.date):
    """The latest rating if still valid (ratings come newest first)."""
    return ratings[0] if ratings and ratings[0].valid_until >= today else None


def producer_record(producer, *, audience: Audience, product=None) -> dict:
    today = timezone.localdate()
    products = record_products(producer, audience=audience, product=product)
    for p in products:
        p.record_current_rating = current_rating(p.record_ratings, today)
        p.record_top = p.record_recognitions and max(p.record_recognitions, key=lambda r: (r.level.rank, r.year))
    projects = record_support(producer)
    fairs = record_fairs(producer, product=product)
    recognitions = [r for p in products for r in p.record_recognitions]
    certificates = [c for r in recognitions for c in r.record_certs]
    ratings = [p.record_current_rating for p in products if p.record_current_rating]
    return {
        "producer": producer,
        "products": products,
        "projects": projects,
        "participations": fairs,
        # By product, newest decision first: the order templates/awards/components/ocop_history.html expects.
        "ocop_ratings": [r for p in products for r in p.record_ratings],
        "summary": {
            "products": len(products),
            "recognitions": len(recognitions),
            "valid_certificates": sum(1 for c in certificates if c.state(today) == "valid"),
            "best_stars": max((r.stars for r in ratings), default=None),
            "projects": len(projects),
            "support_public": sum(
                amount or 0
                for project in projects
                for source, amount in project.record_amounts
                if source != FundingSource.COUNTERPART
            ),
            "fairs": len(fairs),
        },
        "sources": FundingSource.choices,
        "today": today,
    }


def producer_page(producer) -> dict:
    """What the staff producer's page shows besides the record: documents, the accounts that sign in for the
    producer, the change history and the link to record an OCOP rating."""
    return {
        "producer_page": True,
        "documents": producer_documents(producer),
        "accounts": producer.accounts.all(),
        "history": producer_history(producer),
        "ocop_record_url": f"{reverse('awards:staff.ocop.create')}?{urlencode({'q': producer.name})}",
    }


def render_record(request, producer, *, audience: Audience, product=None, extra=None):
    context = producer_record(producer, audience=audience, product=product)
    context.update({"audience": audience, "product": product, **(extra or {})})
    return render(request, "portal/producer_record.html", context)


class StaffProducerRecordView(StaffAudience, View):
    def get(self, request, pk):
        producer = get_object_or_404(
            producers_visible_to(request.user).select_related(
                "province", "current_province", "unit__parent", "unit__successor", "current_unit"
            ),
            pk=pk,
        )
        return render_record(request, producer, audience=self.audience, extra=producer_page(producer))


class StaffProductRecordView(StaffAudience, View):
    def get(self, request, pk):
        product = get_object_or_404(
            products_visible_to(request.user).select_related("producer__current_province"), pk=pk
        )
        return render_record(request, product.producer, audience=self.audience, product=product)


class ProducerRecordView(ProducerAudience, View):
    def get(self, request):
        return render_record(request, self.producer, audience=self.audience)


class ProducerProductRecordView(ProducerAudience, View):
    def get(self, request, pk):
        product = get_object_or_404(Product.objects.filter(producer=self.producer), pk=pk)
        return render_record(request, self.producer, audience=self.audience, product=product)
