"""Staff must use MFA: a signed-in staff user without a confirmed second factor reaches nothing but
MFA enrolment (and signing out) until they have one."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts import signin

ENROLMENT_MESSAGE = "Staff accounts must use two-factor authentication. Set it up to continue."
ALLOWED_PREFIXES = ("/auth/mfa/", "/static/", "/accounts/logout/", "/healthz")


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff and signin.needs_mfa_enrolment(user):
            enrol = reverse("mfa-enrol")
            if request.path != enrol and not request.path.startswith(ALLOWED_PREFIXES):
                if request.path.startswith(("/auth/", "/j/", "/mind/")) or \
                        "application/json" in request.META.get("HTTP_ACCEPT", ""):
                    return JsonResponse({"error": "mfa_required", "message": ENROLMENT_MESSAGE}, status=403)
                messages.warning(request, ENROLMENT_MESSAGE)
                return redirect(enrol)
        return self.get_response(request)
