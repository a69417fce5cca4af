from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import api, views

urlpatterns = [
    # pages
    path("accounts/signup/", views.sign_up, name="signup"),
    path("accounts/signup/sent/", views.sign_up_sent, name="signup-sent"),
    path("accounts/verify/<str:token>/", views.verify_email, name="verify-email"),
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/login/mfa/", views.sign_in_mfa, name="login-mfa"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/profile/meeting-defaults/", views.meeting_defaults, name="meeting-defaults"),
    path("accounts/profile/picture/", views.picture_upload, name="picture-upload"),
    path("accounts/profile/picture/remove/", views.picture_remove, name="picture-remove"),
    path("pictures/<str:token>.jpg", views.picture, name="picture"),
    path("accounts/security/", views.security, name="security"),
    path("accounts/security/mfa/", views.mfa_enrol, name="mfa-enrol"),
    path("accounts/security/mfa/disable/", views.mfa_disable, name="mfa-disable"),
    path("accounts/security/mfa/backup-codes/", views.mfa_backup_codes, name="mfa-backup-codes"),
    path("accounts/security/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("accounts/security/applications/", views.application_create, name="application-create"),
    path("accounts/security/applications/<int:application_id>/delete/", views.application_delete,
         name="application-delete"),
    # OAuth 2.0 authorization server (django-oauth-toolkit); /oauth/token is Zoom's path
    path("auth/oauth/authorize", views.AuthorizationView.as_view(), name="oauth-authorize"),
    path("auth/oauth/token", api.TokenView.as_view(), name="oauth-token"),
    path("oauth/token", api.TokenView.as_view(), name="oauth-token-zoom"),
    path("auth/oauth/revoke", api.RevokeTokenView.as_view(), name="oauth-revoke"),
    path("auth/oauth/introspect", api.IntrospectTokenView.as_view(), name="oauth-introspect"),
    # the seed's JSON endpoints
    path("auth/mfa/setup", api.MFASetupView.as_view(), name="auth-mfa-setup"),
    path("auth/mfa/verify", api.MFAVerifyView.as_view(), name="auth-mfa-verify"),
    path("auth/tokens", api.TokenListView.as_view(), name="auth-tokens"),
    path("auth/token/revoke", api.TokenRevokeView.as_view(), name="auth-token-revoke"),
]

