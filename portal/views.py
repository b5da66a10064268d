import datetime
import shutil

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from awards.selectors import rounds_open_to_public
from portal.catalogue.views import newest_recognised
from portal.core.access import is_member, is_ministry, is_producer, is_staff
from portal.core.files import serve_file
from portal.models import ScheduledJob, SiteIdentity

HOME_ROUNDS = 4  # open rounds listed on the home page; the rest are one link away
HOME_PRODUCTS = 6  # the newest recognised products shown on the home page


def home(request):
    """Landing page; signed-in users go to the workspace of their role: staff and council members to their task
    inbox, producers to their establishment, ministry officials to the national dashboard."""
    user = request.user
    if is_staff(user) or is_member(user):
        return redirect("inbox:home")  # "Việc cần làm": what waits for them
    if is_producer(user):
        return redirect("products:producer.profile")
    if is_ministry(user):
        return redirect("dashboards:staff.dashboard")
    # The rounds open for registration, soonest deadline first (two queries whatever their number).
    rounds = list(rounds_open_to_public()[: HOME_ROUNDS + 1])
    return render(
        request,
        "portal/home.html",
        {
            "open_rounds": rounds[:HOME_ROUNDS],
            "more_rounds": len(rounds) > HOME_ROUNDS,
            "newest_products": newest_recognised(HOME_PRODUCTS),
        },
    )


def site_logo(request):
    """The department's logo shown in every page's header, to everyone; its address changes with each upload
    (`?v=`), so browsers may keep it a day."""
    identity = SiteIdentity.objects.filter(pk=1).first()
    if identity is None or not identity.logo:
        raise Http404
    return serve_file(
        identity.logo,
        content_type=identity.logo_content_type,
        name="logo",
        default_stem="logo",
        cache_control="public, max-age=86400",
    )


def healthz(request):
    """200 when the database answers, 503 otherwise (for the load balancer and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


# The worker's scheduler runs `resume_exports` every few seconds: its last start is the worker's heartbeat.
WORKER_HEARTBEAT_JOB = "resume_exports"
_migrations_applied = False  # once true in a process, stays true: a new migration comes with a new deploy


def _unapplied_migrations() -> int:
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = pending == 0
    return pending


def _worker_silent_for() -> int | None:
    """Seconds since a worker last ran its scheduler's heartbeat job; None when no worker ever did."""
    last = ScheduledJob.objects.filter(name=WORKER_HEARTBEAT_JOB).values_list("started_at", flat=True).first()
    return None if last is None else int((timezone.now() - last).total_seconds())


def readyz(request):
    """200 when this instance can serve: the database answers with every migration applied, a background worker
    has shown a heartbeat within READY_WORKER_SECONDS, and the file store has READY_MIN_FREE_MB free (a file
    system's; with FILE_STORAGE=s3 the check is not applicable).
    503 with the failing checks otherwise (for the load balancer's readiness probe and for monitoring)."""
    checks, failed = {}, []
    try:
        pending = _unapplied_migrations()
        checks["database"] = "up"
        checks["migrations"] = "applied" if not pending else f"{pending} not applied"
        if pending:
            failed.append("migrations")
        silent = _worker_silent_for()
        checks["worker_seconds_since_heartbeat"] = silent
        if silent is None or silent > settings.READY_WORKER_SECONDS:
            failed.append("worker")
    except DatabaseError:
        checks["database"] = "down"
        failed.append("database")
    if settings.FILE_STORAGE == "filesystem":
        try:
            free_mb = shutil.disk_usage(settings.MEDIA_ROOT).free // (1024 * 1024)
        except FileNotFoundError:  # the file store is not mounted
            free_mb = None
        checks["free_disk_mb"] = free_mb
        if free_mb is None or free_mb < settings.READY_MIN_FREE_MB:
            failed.append("disk")
    else:  # an object store has no free space to measure
        checks["free_disk_mb"] = "not applicable"
    checks["status"] = "unavailable" if failed else "ready"
    checks["failed"] = failed
    checks["time"] = timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")
    return JsonResponse(checks, status=503 if failed else 200)
