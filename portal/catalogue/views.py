"""The public catalogue: recognised products and their product pages, no sign-in. Only public facts are shown: no
tax code, document, nomination or score; a producer's address, phone, e-mail and website only when it chose to
publish them.

Responses are not cached whole (the page header shows the signed-in user and carries a CSRF token); the list's
count and filter options are (see selectors). Product photos of recognised products are served publicly with
long-lived caching headers: a photo's URL is its unique id, and a new upload gets a new one."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views import View

from portal.core.files import JPEG, PNG, serve_file
from portal.core.formatting import group_digits

from . import selectors, seo, thumbnails

PHOTO_MAX_AGE = 86400


def absolute(path: str) -> str:
    """An absolute URL on the portal's public address (for canonical links and Open Graph tags)."""
    return f"{settings.PUBLIC_BASE_URL}{path}"


def photo_url(uid, width: int | None = None) -> str:
    url = reverse("catalogue:public.photo", args=[uid])
    return f"{url}?w={width}" if width else url


def decorate_cards(products) -> None:
    """Each card's link and photo address."""
    for product in products:
        product.public_url = reverse("catalogue:public.product.detail", args=[product.pk])
        product.photo_src = photo_url(product.photo_uid, thumbnails.CARD_WIDTH) if product.photo_uid else ""


def newest_recognised(limit: int = 6) -> list:
    """The products recognised most recently, as cards (the home page's shop window): the catalogue's first page
    in its default order, from the same cache."""
    version = selectors.data_version()
    query = selectors.CatalogueQuery()
    cards = selectors.cached_page(query, version, selectors.filtered_products(query), 0, limit)
    decorate_cards(cards)
    return cards


class CataloguePaginator(Paginator):
    """A page is its rows with every card value (selectors.cached_page); the count is set by the view, from the
    cache when it is there."""

    def __init__(self, object_list, per_page, *, query, version):
        super().__init__(object_list, per_page)
        self.query, self.version = query, version

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = selectors.cached_page(self.query, self.version, self.object_list, bottom, top)
        return self._get_page(rows, number, self)


class ProductListView(View):
    template_name = "portal/catalogue/product_list.html"

    def get(self, request):
        version = selectors.data_version()
        options = selectors.filter_options(version)
        query = selectors.CatalogueQuery.from_params(request.GET, options)
        qs = selectors.filtered_products(query)
        paginator = CataloguePaginator(qs, selectors.PAGE_SIZE, query=query, version=version)
        paginator.count = selectors.filtered_count(query, version, qs)
        page = paginator.get_page(request.GET.get("page"))
        decorate_cards(page.object_list)
        og_image = next((absolute(p.photo_src) for p in page.object_list if p.photo_src), "")
        canonical = reverse("catalogue:public.product.list")
        if page.number > 1 and not query.is_filtered and query.sort == selectors.ranking.NEWEST:
            canonical += f"?page={page.number}"
        context = {
            "page_obj": page,
            "products": page.object_list,
            "options": options,
            "query": query,
            "canonical_url": absolute(canonical),
            "og_image": og_image,
            "meta_description": _(
                "%(count)s typical rural-industry products recognised by the provinces, with their producers, the "
                "levels they reached and their OCOP stars."
            )
            % {"count": group_digits(paginator.count)},
        }
        return render(request, self.template_name, context)


class ProductDetailView(View):
    template_name = "portal/catalogue/product_detail.html"

    def get(self, request, pk):
        product = selectors.public_product(pk)
        page = selectors.product_page(product)
        for photo in page["photos"]:
            photo.src = photo_url(photo.uid, thumbnails.PAGE_WIDTH)
            photo.full_src = photo_url(photo.uid)
        producer = product.producer
        description = product.description.strip() or _(
            "%(product)s, made by %(producer)s (%(province)s): a typical rural-industry product recognised at "
            "%(level)s level."
        ) % {
            "product": product.name,
            "producer": producer.name,
            "province": producer.current_province.name,
            "level": page["highest_level"]["name"].lower() if page["highest_level"] else "",
        }
        og_image = absolute(photo_url(page["photos"][0].uid, thumbnails.PAGE_WIDTH)) if page["photos"] else ""
        canonical = absolute(reverse("catalogue:public.product.detail", args=[product.pk]))
        meta_description = Truncator(" ".join(description.split())).chars(200)
        images = [absolute(photo.src) for photo in page["photos"]]
        context = {
            "product": product,
            "producer": producer,
            "contact": selectors.public_contact(producer),
            "canonical_url": canonical,
            "meta_description": meta_description,
            "og_image": og_image,
            "json_ld": seo.product_json_ld(product, page, url=canonical, description=meta_description, images=images),
            **page,
        }
        return render(request, self.template_name, context)


class PhotoView(View):
    """A photo of a recognised product, for everyone; 404 for any other photo (those stay private). Always a JPEG
    re-encoded from the upload (without its metadata), at most 1600 px wide, or 480/960 px with `?w=`; made once and
    kept next to the uploads. The uploaded bytes themselves are never served publicly."""

    def get(self, request, uid):
        photo = selectors.public_photo(uid)
        if photo.content_type not in (JPEG, PNG):  # a file stored before the upload checks that failed them
            raise Http404
        width = request.GET.get("w")
        width = int(width) if width in thumbnails.WIDTHS else thumbnails.FULL_WIDTH
        try:
            handle = thumbnails.open_thumbnail(photo, width)
        except thumbnails.ImageError as exc:  # OSError covers a file missing from the store
            raise Http404 from exc
        return serve_file(
            handle, content_type=JPEG, default_stem=str(photo.uid), cache_control=f"public, max-age={PHOTO_MAX_AGE}"
        )
