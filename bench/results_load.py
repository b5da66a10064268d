"""The 30 council members of bench/bench_results.py submitting their sheets of one dossier at the same moment,
through gunicorn (bench/server.py) as their browsers would: each member signs in on the login page (its own
session cookie), opens its sheet (the CSRF token of the form) and, once all are ready, POSTs the confirmed
submission (`submit`, `confirm=1`, the ten scores with a decimal comma), one thread and one connection per member.

The start is one Event set once every thread waits on it (or after READY_WAIT seconds, the number ready recorded);
nothing here can time out into an exception: a request that fails (refused, timed out, an answer other than the
redirect back to the sheet) is counted and reported, and its sheet shows up as a lost update, which
results_data.lost_updates() checks in the database after every repetition.
"""

import http.client
import re
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench import results_data as data

PASSWORD = "bench-member-password"  # noqa: S105 (the bench's own throwaway accounts)
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
READY_WAIT = 120  # seconds the threads get to reach the start before they are released anyway
FINISH_WAIT = 300  # seconds a repetition's requests get before the unfinished ones are counted


class Browser:
    """One member's cookies and form token against the server on 127.0.0.1:`port`."""

    def __init__(self, port: int):
        self.port, self.cookies, self.token = port, {}, ""

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = 120):
        """One request on its own connection; returns (status, Location, body). Cookies are kept."""
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), content

    def form_token(self, path: str) -> str:
        status, _location, content = self.request("GET", path)
        match = TOKEN_RE.search(content.decode())
        if status != 200 or match is None:
            raise SystemExit(f"GET {path} answered {status} without a form")
        return match.group(1)

    def sign_in(self, email: str) -> None:
        token = self.form_token("/accounts/login/")
        status, _location, _content = self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"{email} could not sign in ({status})")


def signed_in(port: int, members, nomination) -> dict:
    """{member pk: Browser} signed in as each member (password set once), with the sheet form's token."""
    from portal.accounts.models import User

    users = User.objects.filter(pk__in=[m.user_id for m in members])
    for user in users:
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
    browsers = {}
    for member in members:
        browser = Browser(port)
        browser.sign_in(member.user.email)
        browser.token = browser.form_token(sheet_path(nomination))
        browsers[member.pk] = browser
    return browsers


def sheet_path(nomination) -> str:
    return f"/member/nominations/{nomination.pk}/sheet/"


def sheet_form(browser, leaves, values) -> dict:
    form = {f"c{leaf.pk}": format(value, "f").replace(".", ",") for leaf, value in zip(leaves, values, strict=True)}
    return {**form, "comment": "", "submit": "1", "confirm": "1", "csrfmiddlewaretoken": browser.token}


def submission(browser, path, form):
    """One submission: (ms, None) when answered by the redirect back to the sheet, else (ms, what went wrong)."""
    began = time.perf_counter()
    try:
        status, location, _content = browser.request("POST", path, form)
        failure = None if status == 302 and location.endswith(path) else f"{status} {location}"
    except OSError as exc:  # refused or timed out: counted, not raised
        failure = repr(exc)
    return (time.perf_counter() - began) * 1000, failure


def submit_all(round_, council, members, nomination, browsers, *, concurrent: bool) -> dict:
    """Delete the round's sheets, then every member submits (all at once, or one after another); returns the wall
    time, the per-call times, the failures, the lost updates and how the threads started."""
    from awards.models import ScoreSheet

    ScoreSheet.objects.filter(nomination__round=round_).delete()
    leaves = data.leaf_criteria(council)
    expected = {m.pk: data.member_values(i, leaves) for i, m in enumerate(members)}
    path = sheet_path(nomination)
    forms = {m.pk: sheet_form(browsers[m.pk], leaves, expected[m.pk]) for m in members}
    for browser in browsers.values():
        browser.cookies.pop("messages", None)  # the last run's "submitted" message, shown by the page it skipped
    if concurrent:
        happened = run_together([(browsers[m.pk], path, forms[m.pk]) for m in members])
    else:
        started, outcomes = time.perf_counter(), []
        for m in members:
            outcomes.append(submission(browsers[m.pk], path, forms[m.pk]))
        happened = {"wall": (time.perf_counter() - started) * 1000, "outcomes": outcomes}
    outcomes = happened.pop("outcomes")
    happened["calls"] = [ms for ms, failure in outcomes if failure is None]
    happened["failures"] = [failure for _ms, failure in outcomes if failure is not None]
    happened["lost"] = data.lost_updates(round_, members, nomination, leaves, expected)
    return happened


def run_together(jobs) -> dict:
    """Every (browser, path, form) submitted from its own thread, released together by one Event."""
    lock, all_ready, go = threading.Lock(), threading.Event(), threading.Event()
    ready, outcomes, starts, ends = [], [], [], []

    def work(job):
        with lock:
            ready.append(1)
            if len(ready) == len(jobs):
                all_ready.set()
        go.wait()
        starts.append(time.perf_counter())
        outcome = submission(*job)
        ends.append(time.perf_counter())
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=work, args=(job,), daemon=True) for job in jobs]
    for t in threads:
        t.start()
    all_ready.wait(READY_WAIT)
    ready_at_release, released = len(ready), time.perf_counter()
    go.set()
    deadline = released + FINISH_WAIT
    for t in threads:
        t.join(max(0.0, deadline - time.perf_counter()))
    unfinished = sum(t.is_alive() for t in threads)
    with lock:
        outcomes = list(outcomes) + [(0.0, "unfinished")] * unfinished
    return {
        "wall": ((max(ends) if ends else time.perf_counter()) - released) * 1000,
        "outcomes": outcomes,
        "ready_at_release": ready_at_release,
        "start_spread_ms": round((max(starts) - min(starts)) * 1000, 1) if starts else None,
        "unfinished": unfinished,
    }
