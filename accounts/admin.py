from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.admin import OTPAdminSite

from accounts.models import Account, AuditEvent, User


class ConferAdminSite(OTPAdminSite):
    """Django admin only for OTP-verified staff. Signing in goes through our own sign-in page
    (password, then MFA code), which has the lockout and rate limits."""

    name = "admin"

    def login(self, request, extra_context=None):
        # Signed in but not let in: say why instead of sending them round to sign in again (a loop).
        if request.user.is_authenticated:
            if request.user.is_staff and not request.user.is_verified():
                return render(request, "accounts/admin_refused.html", {"reason": "verify"}, status=403)
            if not request.user.is_staff:
                return render(request, "accounts/admin_refused.html", {"reason": "not_staff"}, status=403)
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


# The documented way to make the default site require OTP (every app's admin.py registers on it).
admin.site.__class__ = ConferAdminSite


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "account", "role", "is_staff", "is_active", "date_joined")
    list_filter = ("role", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "display_name", "public_id", "account__name")
    list_select_related = ("account",)
    readonly_fields = ("public_id", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password", "public_id")}),
        ("Profile", {"fields": ("display_name", "first_name", "last_name", "timezone", "pmi", "account", "role")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "account", "role", "password1", "password2")}),)


class MemberInline(admin.TabularInline):
    model = User
    fields = ("email", "display_name", "role", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("name", "public_id", "created_at")
    search_fields = ("name", "public_id", "users__email")
    list_filter = ("created_at",)
    readonly_fields = ("public_id", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "public_id", "created_at")}),
        ("SIP dial-out", {"fields": ("sip_dial_out", "sip_dial_out_allowed")}),
    )
    inlines = [MemberInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit log nobody can edit."""

    list_display = ("created_at", "action", "actor_email", "account", "target_repr", "ip_address")
    list_filter = ("action", "created_at")
    search_fields = ("actor_email", "target_repr", "target_id", "ip_address", "account__name")
    list_select_related = ("account",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
