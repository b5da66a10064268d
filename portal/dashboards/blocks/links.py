"""URLs of the lists behind the dashboard's figures."""

from urllib.parse import quote_plus

from django.urls import reverse

from ..reference import Scope


def _quoted(value) -> str:
    """A query string value as urlencode() writes it, without its cost for what needs no quoting: the links'
    values are ids, years and codes, and a page has hundreds of links."""
    text = str(value)
    return text if text.isascii() and text.isalnum() else quote_plus(text)


class Links:
    """URLs of the lists behind the figures, carrying the dashboard's province and filters."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self._urls: dict[tuple, str] = {}  # a page asks for the same link from a chart and a table
        today = scope.province or scope.own_province
        self.place = {"province": today} if today else {}
        if scope.recorded_province:
            self.place["recorded_province"] = scope.recorded_province

    def _url(self, name: str, params: dict) -> str:
        key = (name, *params.items())
        if key not in self._urls:
            if name not in self._urls:
                self._urls[name] = reverse(name)
            query = "&".join(f"{k}={_quoted(v)}" for k, v in params.items() if v not in (None, ""))
            self._urls[key] = f"{self._urls[name]}?{query}" if query else self._urls[name]
        return self._urls[key]

    def _years(self, year=None) -> dict:
        if year is not None:
            return {"year_from": year, "year_to": year}
        return {"year_from": self.scope.year_from, "year_to": self.scope.year_to}

    def recognitions(self, *, year=None, level=None, group=None, kind=None) -> str:
        params = {
            **self.place,
            **self._years(year),
            "level": level or self.scope.level,
            "group": group or self.scope.group,
            "kind": kind,
        }
        return self._url("awards:staff.recognition.list", params)

    def ocop(self, **params) -> str:
        return self._url("awards:staff.ocop.list", {**self.place, "group": self.scope.group, **params})

    def projects(self, *, year=None, source=None) -> str:
        return self._url("extension_projects:staff.project.list", {**self.place, **self._years(year), "source": source})

    def fairs(self, *, year=None, level=None) -> str:
        place = self.scope.recorded_province or self.place.get("province")
        return self._url("extension_projects:staff.fair.list", {"province": place, **self._years(year), "level": level})
