"""The production processes for the browser tests that run them: gunicorn instances and `manage.py run_worker`
processes with `portal.settings.production` on the test database (the `shared_database` fixture's URL), sharing one
file store (MEDIA_ROOT) as servers behind a load balancer share an NFS mount."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from tests import factories

BASE_DIR = Path(django_settings.BASE_DIR)
PY = sys.executable
WORKER = [PY, "manage.py", "run_worker", "--no-reload", "--no-startup-delay", "--interval", "0.5"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(database_url: str, media_root, static_root, tmp_path, public_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "smoke-test-" + "x" * 50,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(static_root),
        "SIGNING_SECRETS_DIR": str(tmp_path / "secrets"),
        "PUBLIC_BASE_URL": public_url,
        "SECURE_SSL_REDIRECT": "false",  # no TLS proxy in front here; Chromium keeps secure cookies on localhost
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def collect_static(static_root: Path) -> None:
    """`collectstatic` as deployed (hashed and compressed names for WhiteNoise), once per test process."""
    if not (static_root / "staticfiles.json").exists():
        env = production_env("sqlite:///:memory:", static_root.parent / "media", static_root, static_root.parent, "")
        subprocess.run(  # noqa: S603 (our own manage.py)
            [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True, timeout=300
        )


def wait_for_http(url: str, processes, logs, timeout: float = 60) -> None:
    deadline, last = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        assert all(p.poll() is None for p in processes), "\n".join(log.read_text() for log in logs)
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own local server)
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            last = error.read().decode()
        except OSError as error:
            last = str(error)
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer 200: {last}\n" + "\n".join(log.read_text() for log in logs))


@contextlib.contextmanager
def running(env: dict, tmp_path: Path, *, ports: list[int], gunicorn_workers: int = 2, workers: int = 1):
    """gunicorn on each port and `workers` run_worker processes; once /healthz and /readyz answer on every
    instance, yields the base URLs; stops everything after."""
    Path(env["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)  # the file store, as deployed
    subprocess.run([PY, "manage.py", "createcachetable"], cwd=BASE_DIR, env=env, check=True, timeout=120)  # noqa: S603
    commands = [
        [PY, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "-w", str(gunicorn_workers)]
        for port in ports
    ] + [WORKER] * workers
    logs = [tmp_path / f"process-{i}.log" for i in range(len(commands))]
    processes = []
    try:
        for command, log in zip(commands, logs, strict=True):
            with log.open("w") as out:
                popen = subprocess.Popen  # our own commands, no shell
                processes.append(popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT))
        bases = [f"http://localhost:{port}" for port in ports]
        for base in bases:
            wait_for_http(f"{base}/healthz", processes, logs)
            wait_for_http(f"{base}/readyz", processes, logs)  # a worker's heartbeat is in
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def production_password(*users) -> None:
    """Passwords hashed as production hashes them (it does not accept the test settings' MD5)."""
    for user in users:
        user.password = make_password(factories.PASSWORD, hasher=PBKDF2PasswordHasher())
        user.save(update_fields=["password"])


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/" not in page.url, page.inner_text("main")
