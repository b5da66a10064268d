from django import template
from django.urls import reverse

from portal.core import formatting

register = template.Library()


@register.filter
def vnd(value):
    """1075000000 -> '1.075.000.000 đồng'. Money is integer VND everywhere in the portal."""
    return formatting.vnd(value)


@register.filter
def dots(value):
    """Integer with dot thousands: 2309 -> '2.309'."""
    if value in (None, ""):
        return ""
    return formatting.group_digits(value)


@register.filter(is_safe=True)
def no_widow(value):
    """A paragraph whose last line never holds one word alone: `{% filter no_widow %}…{% endfilter %}`."""
    return formatting.no_widow(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def nav_url(name, *args):
    return reverse(name, args=args)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
