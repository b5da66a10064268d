"""The URL convention of a resource's pages, written once.

A resource at `prefix` (e.g. "staff/rounds/") named `name` (e.g. "staff.round") has its list at `prefix`, its
creation at `prefix`new/, one record at `prefix`<int:pk>/, its edit at `prefix`<int:pk>/edit/ and its deletion at
`prefix`<int:pk>/delete/, named `name`.list, .create, .detail, .update and .delete. `resource_urls` builds the
patterns of the pages a resource has; the pages off this convention stay plain `path()`s beside it."""

from django.urls import path

# page: its path below the prefix, in the order the patterns are listed
PAGES = {
    "list": "",
    "create": "new/",
    "detail": "<int:pk>/",
    "update": "<int:pk>/edit/",
    "delete": "<int:pk>/delete/",
}


def resource_urls(prefix: str, name: str, **views) -> list:
    """The patterns of a resource's pages: `views` maps a page of PAGES ("list", "create", …) to its view class."""
    unknown = set(views) - set(PAGES)
    if unknown:
        raise TypeError(f"resource_urls: unknown pages {sorted(unknown)}")
    return [path(prefix + PAGES[page], views[page].as_view(), name=f"{name}.{page}") for page in PAGES if page in views]
