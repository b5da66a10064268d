from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Everything the portal loads comes from its own origin: no inline scripts, no CDN."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "CSP_POLICY", self.POLICY))
        return response


class VietnameseFirstMiddleware:
    """The portal speaks Vietnamese unless the user chose another language with the language switcher
    (stored in the language cookie). The browser's Accept-Language is ignored: officers' machines are often
    set to English while they expect the Vietnamese portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
