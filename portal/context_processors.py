from django.conf import settings


def portal(request):
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "LOCKOUT_MINUTES": round(float(settings.AXES_COOLOFF_TIME or 0) * 60),
    }
