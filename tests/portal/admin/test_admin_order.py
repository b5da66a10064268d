"""The back office lists its sections and the models of each in Vietnamese dictionary order, not by code point."""

import re

from django.urls import reverse

from portal.core.collation import vietnamese_key


def test_admin_index_lists_sections_and_models_in_vietnamese_order(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    apps = response.context["app_list"]
    names = [str(app["name"]) for app in apps]
    assert names == sorted(names, key=vietnamese_key)
    assert names != sorted(names)  # code-point order differs here ("Cơ sở…" after "Cổng…" by code point)
    for app in apps:
        models = [str(model["name"]) for model in app["models"]]
        assert models == sorted(models, key=vietnamese_key), app["name"]
    html = response.content.decode()
    captions = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", html)
    assert captions == names
