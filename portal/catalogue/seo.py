"""What search engines read: robots.txt, sitemap.xml (the home page, the catalogue and every recognised product's
page) and a product page's schema.org Product description (JSON-LD). Public facts only, as on the pages."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_GET

from . import selectors

# Everything behind a sign-in stays out of search engines; the catalogue and the home page are what they index.
ROBOTS = """User-agent: *
Allow: /$
Allow: /catalogue/
Disallow: /

Sitemap: {base}/sitemap.xml
"""


def _absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{path}"


@require_GET
def robots_txt(request):
    return HttpResponse(ROBOTS.format(base=settings.PUBLIC_BASE_URL), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap_xml(request):
    """One query: the recognised products' keys (a sitemap holds at most 50 000 addresses)."""
    paths = [reverse("home"), reverse("catalogue:public.product.list")]
    keys = selectors.recognised_products().order_by("pk").values_list("pk", flat=True)[:49_000]
    paths += [reverse("catalogue:public.product.detail", args=[pk]) for pk in keys]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(_absolute(path))}</loc></url>" for path in paths]
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines) + "\n", content_type="application/xml; charset=utf-8")


def product_json_ld(product, page: dict, *, url: str, description: str, images: list[str]) -> str:
    """The schema.org Product for a product page, safe to put inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": description,
        "url": url,
        "category": product.group.name,
        "manufacturer": {
            "@type": "Organization",
            "name": product.producer.name,
            "address": {"@type": "PostalAddress", "addressRegion": product.producer.current_province.name},
        },
        "award": [f"{level['name']} {year}" for level in page["levels"] for year in level["years"]],
    }
    if images:
        data["image"] = images
    text = json.dumps(data, ensure_ascii=False)
    # No "</script>" or HTML can end the element early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
