from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import redirect, render

from portal.core.access import is_member, is_ministry, is_producer, is_staff


def home(request):
    """Landing page; signed-in users go to the workspace of their role."""
    user = request.user
    if is_staff(user):
        return redirect("products:staff.producer.list")
    if is_producer(user):
        return redirect("products:producer.profile")
    if is_member(user):
        return redirect("awards:member.dashboard")
    if is_ministry(user):
        return redirect("dashboards:staff.dashboard")
    return render(request, "portal/home.html")


def healthz(request):
    """200 when the database answers, 503 otherwise (for the load balancer and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
