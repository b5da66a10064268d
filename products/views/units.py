from django.shortcuts import render

from ..selectors import units_under


def unit_options(request):
    """htmx fragment: the <option>s of the communes/wards (or old districts) of the chosen province."""
    province = request.GET.get("province") or request.GET.get("producer-province")
    units = units_under(int(province)) if province and province.isdigit() else []
    return render(request, "products/components/unit_options.html", {"units": units})
