"""WCAG 2.1 AA, checked by axe-core (the copy packaged in axe-playwright-python, injected into the page; nothing
fetched) in real Chromium over the demo data: every page a visitor, a producer, a council member, department staff,
the ministry and the superuser can reach by following links from the home page, one page of each kind (the same
URL with another id is the same template), and the pages as they are re-rendered with errors. A serious or
critical violation fails the test with the page and the element. The Django admin is Django's own and is left out.
"""

import re
from urllib.parse import urljoin, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from portal.demo.accounts import DEMO_PASSWORD

pytestmark = [pytest.mark.once_in_ci, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
BLOCKING = {"serious", "critical"}
# Not pages: files, downloads, the admin, signing out, switching language.
NOT_A_PAGE = re.compile(
    r"^/(admin|static|media)/|/logout/|/i18n/|\.(pdf|xlsx|zip|csv|docx|xml|txt|json|png|jpe?g|svg)$"
    r"|/(download|pdf|export|xlsx|file|files|templates/\d+)(/|$)"
)
MAX_KINDS = 200  # a crawl that reaches this many kinds of page has lost its way: the test says so
_axe = Axe()


def kind_of(path: str) -> str:
    """Pages of one kind: ids and codes in the path replaced (a filtered or sorted list is the same page)."""
    return re.sub(r"/(\d+|[0-9a-f-]{8,}|[A-Z]{2}-\d{4}-[A-Z0-9-]+)(?=/|$)", "/N", path)


def violations(page) -> list[str]:
    result = _axe.run(page, options={"runOnly": WCAG_AA}).response
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} -> {node['target']} {node['html'][:140]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
        for node in v["nodes"][:3]
    ]


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert "/accounts/login/" not in page.url, page.inner_text("main")


def crawl(page, base: str) -> tuple[set[str], list[str]]:
    """Every kind of page reachable by links from the home page; the violations found on them."""
    host = urlparse(base).netloc
    seen: set[str] = set()
    found: list[str] = []
    queue = ["/"]
    while queue:
        path = queue.pop(0)
        url = urlparse(path)
        kind = kind_of(url.path)
        if kind in seen:
            continue
        seen.add(kind)
        assert len(seen) < MAX_KINDS, sorted(seen)
        try:
            response = page.goto(base + path)
        except PlaywrightError as error:  # a link that downloads a file (named without an extension)
            if "Download is starting" not in str(error):
                raise
            continue
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        found += violations(page)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            link = urlparse(urljoin(page.url, href))
            if link.netloc == host and not NOT_A_PAGE.search(link.path):
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return seen, found


def people():
    return [
        pytest.param("", 12, 1280, id="visitor"),
        pytest.param("", 12, 360, id="visitor-phone"),
        pytest.param("htx.tamhoa@cnnt.demo", 25, 1280, id="producer"),
        pytest.param("hkd.nongthimai@cnnt.demo", 15, 360, id="household-business-phone"),
        pytest.param("hoidong@cnnt.demo", 12, 1280, id="council-member"),
        pytest.param("canbo.caobang@cnnt.demo", 60, 1280, id="staff"),
        pytest.param("bo@cnnt.demo", 18, 1280, id="ministry"),
        pytest.param("quantri@cnnt.demo", 60, 1280, id="superuser"),
    ]


@pytest.mark.parametrize(("email", "at_least", "width"), people())
def test_every_page_a_person_reaches_passes_axe(demo_data, live_server, page, email, at_least, width):
    page.set_viewport_size({"width": width, "height": 800})
    if email:
        sign_in(page, live_server.url, email)
    kinds, found = crawl(page, live_server.url)
    assert len(kinds) >= at_least, sorted(kinds)  # the crawl really went through the portal
    assert not found, "\n".join(found)


def test_forms_re_rendered_with_errors_pass_axe_and_lead_with_their_errors(demo_data, live_server, page):
    base = live_server.url
    found = []
    # Registration, sent empty: the summary at the top takes the focus and links to each field.
    page.goto(f"{base}/accounts/register/")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    summary = page.locator("[data-error-summary]").first
    assert summary.evaluate("element => element === document.activeElement")
    assert summary.locator("a[href='#id_account-email']").count() == 1
    email = page.locator("#id_account-email")
    assert email.get_attribute("aria-invalid") == "true"
    described = email.get_attribute("aria-describedby").split()
    assert "id_account-email_error" in described
    assert all(page.locator(f"[id='{ref}']").count() == 1 for ref in described)
    summary.locator("a[href='#id_account-email']").click()
    assert email.evaluate("element => element === document.activeElement")
    found += violations(page)

    # Signing in with a wrong password.
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "htx.tamhoa@cnnt.demo")
    page.fill("#id_password", "sai-mat-khau")
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    found += violations(page)

    # A producer's product form and the wizard's form step, sent empty; a member's sheet with a score too high.
    sign_in(page, base, "htx.tamhoa@cnnt.demo")
    page.goto(f"{base}/me/products/new/")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[data-error-summary]").count() == 1
    found += violations(page)
    assert not found, "\n".join(found)
