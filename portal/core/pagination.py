from django.core.paginator import Paginator
from django.utils.functional import cached_property

SEARCH_COUNT_CAP = 1000  # a text search counts its matches up to this many ("more than 1,000 results")


class KeysFirstPaginator(Paginator):
    """Takes the page's primary keys first (a narrow, index-friendly query), then loads those rows with
    all their joins. On a large table the database then joins 25 rows instead of every match.

    With `count_cap` set (a text search), the count stops at that many matches: a search of "htx" over 100,000
    producers matches 30,000 of them, and counting every one costs more than the rest of the page. The page
    then says "more than 1,000 results" and offers the first 1,000 (narrowing the search finds the others)."""

    count_cap: int | None = None

    @cached_property
    def count(self) -> int:
        if self.count_cap is None:
            return super().count
        counted = self.object_list.order_by()[: self.count_cap + 1].count()
        self.capped = counted > self.count_cap
        return min(counted, self.count_cap)

    capped = False

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {obj.pk: obj for obj in self.object_list.filter(pk__in=keys)}
        return self._get_page([rows[k] for k in keys if k in rows], number, self)


class LenientPageMixin:
    """A page number past the end (or not a number) shows the nearest page instead of a 404: links to
    page 7 stay usable after a filter leaves only 3 pages."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=self.get_allow_empty()
        )
        if isinstance(paginator, KeysFirstPaginator) and self.request.GET.get("q", "").strip():
            paginator.count_cap = SEARCH_COUNT_CAP
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
