"""The back office lists its sections and the models of each in Vietnamese dictionary order, not by code point."""

import re

from axes.models import AccessAttempt
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


def test_the_sign_in_lockout_models_read_in_vietnamese(client, superuser):
    """django-axes ships no Vietnamese: the portal's catalogue names its models and the columns of its lists."""
    client.force_login(superuser)
    names = {
        str(model["name"]) for app in client.get(reverse("admin:index")).context["app_list"] for model in app["models"]
    }
    assert {"Lượt đăng nhập sai", "Nhật ký đăng nhập thất bại", "Nhật ký truy cập"} <= names
    assert not {"Access attempts", "Access failures", "Access logs"} & names
    AccessAttempt.objects.create(
        username="ai.do@example.vn", ip_address="10.0.0.9", user_agent="Chromium", failures_since_start=3
    )
    html = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "Địa chỉ IP" in html
    assert "Số lần đăng nhập sai" in html
