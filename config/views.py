import ipaddress

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.health import run_checks


@require_GET
@never_cache
def healthz(request):
    checks = run_checks()
    healthy = all(state == "ok" for state in checks.values())
    body: dict[str, object] = {"status": "ok" if healthy else "down"}
    if _may_see_detail(request):
        body["checks"] = checks  # component names and error texts: not for the whole internet
    return JsonResponse(body, status=200 if healthy else 503)


def _may_see_detail(request) -> bool:
    try:
        loopback = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        loopback = False
    user = getattr(request, "user", None)
    return loopback or bool(user is not None and user.is_authenticated and user.is_staff)


def landing(request):
    return render(request, "landing.html")
