"""Admin of users, accounts, their settings, API token use and the audit log (read-only), and the
OAuth applications' "revoke tokens" action. The site itself (second factor, audit of every change)
is accounts.admin_site."""

from typing import cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import ngettext
from oauth2_provider.admin import ApplicationAdmin as BaseApplicationAdmin
from oauth2_provider.models import get_access_token_model, get_application_model

from accounts import services
from accounts.admin_site import ConferAdminSite
from accounts.models import Account, AuditEvent, TokenUsage, User, UserSettings
from config.admin_links import changelist_link, label_link, link, registered
from meetings.models import Meeting
from recordings.models import CloudRecording

# The documented way to make the default site require OTP (every app's admin.py registers on it).
admin.site.__class__ = ConferAdminSite
cast(ConferAdminSite, admin.site).audit_registered()  # the libraries' admins, registered before, audited too

AccessToken = get_access_token_model()
Application = get_application_model()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "account_link", "role", "is_staff", "is_active", "email_verified",
                    "date_joined", "last_login")
    list_filter = ("role", "is_staff", "is_superuser", "is_active", "email_verified", "date_joined")
    search_fields = ("email", "display_name", "public_id", "=pmi", "account__name", "account__public_id")
    list_select_related = ("account",)
    autocomplete_fields = ("account",)
    date_hierarchy = "date_joined"
    readonly_fields = ("public_id", "last_login", "date_joined", "related_links")
    fieldsets = (
        (None, {"fields": ("email", "password", "public_id", "related_links")}),
        ("Profile", {"fields": ("display_name", "first_name", "last_name", "timezone", "pmi", "account", "role")}),
        ("Permissions", {"fields": ("is_active", "email_verified", "is_staff", "is_superuser", "groups",
                                    "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "account", "role", "password1", "password2")}),)
    actions = ("disable_users", "revoke_credentials")

    @admin.display(description="account", ordering="account__name")
    def account_link(self, user):
        return link(user.account)

    @admin.display(description="related")
    def related_links(self, user):
        return " · ".join([
            changelist_link(Meeting, "meetings hosted", host__id__exact=user.pk),
            changelist_link(AccessToken, "API tokens", user__id__exact=user.pk),
            changelist_link(Application, "OAuth applications", user__id__exact=user.pk),
            changelist_link(AuditEvent, "audit events as actor", actor__id__exact=user.pk),
        ]) if user.pk else "—"

    @admin.action(description="Disable the selected users (sign-in, sessions, API tokens and ZAKs end)")
    def disable_users(self, request, queryset):
        disabled, tokens = 0, 0
        for user in queryset.select_related("account"):
            if user.pk == request.user.pk:
                self.message_user(request, "You cannot disable your own user here.", messages.WARNING)
                continue
            tokens += services.disable_user(user, actor=request.user, ip=services.client_ip(request))
            disabled += 1
        self.message_user(request, ngettext("Disabled %(n)d user", "Disabled %(n)d users", disabled) % {"n": disabled}
                          + f"; revoked {tokens} API token(s) and ended their sessions.", messages.SUCCESS)

    @admin.action(description="Revoke the selected users' API tokens, ZAKs and sessions")
    def revoke_credentials(self, request, queryset):
        users, tokens = 0, 0
        for user in queryset.select_related("account"):
            tokens += services.end_other_credentials(user, request, reason="admin.revoked", actor=request.user,
                                                     ip=services.client_ip(request))
            users += 1
        self.message_user(request, f"Revoked {tokens} API token(s) of {users} user(s); their ZAKs and other "
                                   "sessions no longer work.", messages.SUCCESS)


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
    list_display = ("name", "public_id", "members", "sip_dial_out", "created_at")
    search_fields = ("name", "public_id", "users__email")
    list_filter = ("sip_dial_out", "created_at")
    date_hierarchy = "created_at"
    readonly_fields = ("public_id", "created_at", "related_links")
    fieldsets = (
        (None, {"fields": ("name", "public_id", "created_at", "related_links")}),
        ("SIP dial-out", {"fields": ("sip_dial_out", "sip_dial_out_allowed")}),
    )
    inlines = [MemberInline]

    @admin.display(description="members")
    def members(self, account):
        return changelist_link(User, "members", account__id__exact=account.pk)

    @admin.display(description="related")
    def related_links(self, account):
        return " · ".join([
            changelist_link(Meeting, "meetings", account__id__exact=account.pk),
            changelist_link(CloudRecording, "recordings", account__id__exact=account.pk),
            changelist_link(AuditEvent, "audit events", account__id__exact=account.pk),
        ]) if account.pk else "—"


@admin.register(UserSettings)
class UserSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "updated_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("updated_at",)
    date_hierarchy = "updated_at"


@admin.register(TokenUsage)
class TokenUsageAdmin(admin.ModelAdmin):
    """When each API token was last used: written by the API, only read here."""

    list_display = ("access_token_link", "user", "application", "last_used_at")
    list_select_related = ("access_token__user", "access_token__application")
    search_fields = ("access_token__user__email", "access_token__application__name")
    date_hierarchy = "last_used_at"
    readonly_fields = ("access_token", "last_used_at")

    @admin.display(description="access token")
    def access_token_link(self, usage):
        return link(usage.access_token)

    @admin.display(description="user")
    def user(self, usage):
        return link(usage.access_token.user)

    @admin.display(description="application")
    def application(self, usage):
        return link(usage.access_token.application)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit log nobody can edit, superusers included."""

    list_display = ("created_at", "action", "actor_email", "account", "target", "ip_address")
    list_filter = ("action", "created_at")
    search_fields = ("actor_email", "target_repr", "target_id", "ip_address", "account__name")
    list_select_related = ("account",)
    date_hierarchy = "created_at"
    show_full_result_count = False  # the log grows without bound: no second COUNT(*) per page

    @admin.display(description="target")
    def target(self, event):
        text = event.target_repr or f"{event.target_type} {event.target_id}".strip() or "—"
        return label_link(event.target_type, event.target_id, text) if registered(event.target_type) else text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Application)


@admin.register(Application)
class ApplicationAdmin(BaseApplicationAdmin):
    """django-oauth-toolkit's application admin, with its tokens revocable at once."""

    list_select_related = ("user",)
    actions = ("revoke_application_tokens",)

    @admin.action(description="Revoke every token of the selected applications")
    def revoke_application_tokens(self, request, queryset):
        tokens = sum(services.revoke_application_tokens(app, actor=request.user, ip=services.client_ip(request))
                     for app in queryset.select_related("user__account"))
        self.message_user(request, f"Revoked {tokens} access token(s) (and their refresh tokens and pending "
                                   f"authorization codes) of {len(queryset)} application(s).", messages.SUCCESS)
