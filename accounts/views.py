"""Server-rendered pages: sign up, sign in (+ MFA), profile, security, OAuth approval."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from oauth2_provider import views as oauth_views

from accounts import pictures, ratelimit, services, signin, user_settings
from accounts.forms import ApplicationForm, CodeForm, MeetingDefaultsForm, ProfileForm, SignUpForm
from accounts.models import User
from accounts.oauth import is_admin_scope


def safe_next(request, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def after_sign_in(request, user):
    if signin.needs_mfa_enrolment(user):
        messages.warning(request, _("Staff accounts must use two-factor authentication. Set it up to continue."))
        return redirect("mfa-enrol")
    return HttpResponseRedirect(safe_next(request))


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def sign_up(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        limited = ratelimit.rate_limited(request, "login")
        if limited:
            return limited
        if form.is_valid():
            # The same answer whether or not the address has an account (services.request_sign_up).
            services.request_sign_up(form.cleaned_data["email"], form.cleaned_data["password1"],
                                     form.cleaned_data.get("display_name", ""), ip=services.client_ip(request))
            return redirect("signup-sent")
    return render(request, "registration/signup.html", {"form": form})


def sign_up_sent(request):
    return render(request, "registration/signup_sent.html")


@never_cache
def verify_email(request, token: str):
    try:
        services.verify_email(token, ip=services.client_ip(request))
    except services.AccountsError as e:
        return render(request, "registration/signup_sent.html", {"error": e.message}, status=400)
    messages.success(request, _("Your e-mail address is confirmed. Sign in to continue."))
    return redirect("login")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request):
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(safe_next(request))
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        limited = ratelimit.rate_limited(request, "login") or \
            ratelimit.username_limited(request, "login", request.POST.get("username", ""))
        if limited:
            return limited
        if form.is_valid():
            user = form.get_user()
            if signin.begin(request, user):
                return redirect(f"{reverse('login-mfa')}?next={safe_next(request)}")
            return after_sign_in(request, user)
    return render(request, "registration/login.html", {"form": form, "next": safe_next(request, "")})


@csrf_protect
@never_cache
def sign_in_mfa(request):
    user = signin.pending_user(request)
    if user is None:
        messages.info(request, _("Sign in with your email and password first."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST":
        limited = ratelimit.rate_limited(request, "mfa", f"user:{user.pk}")
        if limited:
            return limited
        if form.is_valid():
            try:
                signin.verify_pending(request, form.cleaned_data["code"])
            except signin.Locked:
                return ratelimit.lockout_response(request)
            except services.AccountsError as e:
                error = e.message
            else:
                if services.backup_codes_left(user) <= 2:
                    messages.warning(request, _("You are running out of backup codes: make new ones on the "
                                                "Security page."))
                return after_sign_in(request, user)
    return render(request, "registration/login_mfa.html", {"form": form, "error": error, "next": safe_next(request, "")})


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        services.audit(self.request.user, "password.changed", target=self.request.user,
                       ip=services.client_ip(self.request))
        assert isinstance(self.request.user, User)  # PasswordChangeView requires a signed-in user
        services.end_other_credentials(self.request.user, self.request, reason="password.changed",
                                       ip=services.client_ip(self.request))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    def post(self, request, *args, **kwargs):
        limited = ratelimit.rate_limited(request, "login", "reset:" + request.POST.get("email", "").lower())
        return limited or super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        services.audit(form.user, "password.reset", target=form.user, ip=services.client_ip(self.request))
        services.mark_email_verified(form.user)  # the reset link came through the mailbox
        services.end_other_credentials(form.user, reason="password.reset", ip=services.client_ip(self.request))
        return response


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial={"display_name": user.display_name, "timezone": user.timezone})
    if request.method == "POST" and form.is_valid():
        services.update_profile(user, form.cleaned_data["display_name"], form.cleaned_data["timezone"])
        messages.success(request, _("Profile saved."))
        return redirect("profile")
    return _profile_page(request, form=form)


@login_required
@require_POST
def picture_upload(request):
    upload = request.FILES.get("picture")
    if upload is None:
        messages.error(request, _("Choose an image to upload."))
    else:
        try:
            pictures.set_picture(request.user, upload)
        except pictures.PictureError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Picture saved."))
    return redirect("profile")


@login_required
@require_POST
def picture_remove(request):
    pictures.remove_picture(request.user)
    messages.success(request, _("Picture removed: your initials show instead."))
    return redirect("profile")


def picture(request, token: str):
    """A current profile picture. Its name is random and new at every upload: whoever was shown it
    (the person's meetings, the API's pic_url) may keep it cached; a removed one answers 404."""
    found = pictures.open_picture(token)
    if found is None:
        raise Http404
    response = FileResponse(found, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _profile_page(request, *, form=None, defaults_form=None, status=200):
    user = request.user
    form = form or ProfileForm(initial={"display_name": user.display_name, "timezone": user.timezone})
    defaults_form = defaults_form or MeetingDefaultsForm(
        initial=MeetingDefaultsForm.initial_from(user_settings.settings_object(user)))
    return render(request, "accounts/profile.html", {"form": form, "defaults_form": defaults_form}, status=status)


@login_required
@require_POST
def meeting_defaults(request):
    """The profile's "Default meeting settings" form: the same values as PATCH /v2/users/{userId}/settings."""
    form = MeetingDefaultsForm(request.POST)
    if form.is_valid():
        try:
            user_settings.update_settings(request.user, form.patch_body())
        except user_settings.SettingsRefused as refused:
            form.add_refusal(refused)
        else:
            messages.success(request, _("Default meeting settings saved."))
            return redirect(reverse("profile") + "#meeting-defaults-title")
    return _profile_page(request, defaults_form=form, status=400)


@login_required
def security(request):
    user = request.user
    return render(request, "accounts/security.html", {
        "mfa_enabled": services.has_mfa(user),
        "backup_codes_left": services.backup_codes_left(user),
        "tokens": [services.token_summary(t) for t in services.active_tokens(user)],
        "applications": services.user_applications(user),
        "application_form": ApplicationForm(),
        "new_backup_codes": request.session.pop("new_backup_codes", None),
        "new_client": request.session.pop("new_client", None),
    })


@login_required
@never_cache
def mfa_enrol(request):
    user = request.user
    if services.has_mfa(user):
        return redirect("security")
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST":
        limited = ratelimit.rate_limited(request, "mfa", f"user:{user.pk}")
        if limited:
            return limited
        if form.is_valid():
            try:
                device, codes = services.confirm_mfa_enrolment(user, form.cleaned_data["code"],
                                                               ip=services.client_ip(request))
            except services.AccountsError as e:
                error = e.message
            else:
                signin.otp_login(request, device)
                request.session["new_backup_codes"] = codes
                messages.success(request, _("Two-factor authentication is on."))
                return redirect("security")
    enrolment = services.pending_enrolment(user) if request.method == "POST" else None
    enrolment = enrolment or services.start_mfa_enrolment(user)
    return render(request, "accounts/mfa_enrol.html", {"form": form, "error": error, "enrolment": enrolment})


@login_required
@require_POST
def mfa_disable(request):
    # Turning MFA off needs a current code, so a borrowed session cannot do it.
    form = CodeForm(request.POST)
    limited = ratelimit.rate_limited(request, "mfa", f"user:{request.user.pk}")
    if limited:
        return limited
    if form.is_valid() and services.verify_mfa_code(request.user, form.cleaned_data["code"]):
        services.disable_mfa(request.user, ip=services.client_ip(request), request=request)
        messages.success(request, _("Two-factor authentication is off."))
    else:
        messages.error(request, _("That code is not valid; two-factor authentication is still on."))
    return redirect("security")


@login_required
@require_POST
def mfa_backup_codes(request):
    try:
        request.session["new_backup_codes"] = services.regenerate_backup_codes(request.user,
                                                                               ip=services.client_ip(request))
    except services.AccountsError as e:
        messages.error(request, e.message)
    return redirect("security")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    try:
        services.revoke_token(request.user, token_id, ip=services.client_ip(request))
    except services.NotFound:
        messages.error(request, _("That token does not exist any more."))
    else:
        messages.success(request, _("Token revoked."))
    return redirect("security")


@login_required
@require_POST
def application_create(request):
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            app, secret = services.create_application(request.user, form.cleaned_data["name"],
                                                      form.cleaned_data["kind"], form.cleaned_data["redirect_uris"],
                                                      ip=services.client_ip(request))
        except services.AccountsError as e:
            messages.error(request, e.message)
        else:
            request.session["new_client"] = {"name": app.name, "client_id": app.client_id, "client_secret": secret}
    else:
        messages.error(request, _("Give the application a name and a kind."))
    return redirect("security")


@login_required
@require_POST
def application_delete(request, application_id: int):
    try:
        services.delete_application(request.user, application_id, ip=services.client_ip(request))
    except services.NotFound:
        messages.error(request, _("That application does not exist."))
    else:
        messages.success(request, _("Application deleted; its tokens no longer work."))
    return redirect("security")


class AuthorizationView(oauth_views.AuthorizationView):
    """The page where a signed-in user approves an application (OAuth authorization code + PKCE)."""

    template_name = "accounts/oauth_authorize.html"

    def get(self, request, *args, **kwargs):
        requested = request.GET.get("scope", "").split()
        if any(is_admin_scope(scope) for scope in requested) and not request.user.is_account_admin:
            return render(request, self.template_name, {"error": {
                "error": "access_denied",
                "description": _("This application asks for account-wide access, which only account owners and "
                                 "admins can grant."),
            }}, status=403)
        return super().get(request, *args, **kwargs)
