"""Staff account pages, mounted under the admin's path (ADMIN_URL) before the admin itself."""

from django.urls import path
from django.views.decorators.cache import never_cache

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-in/verify/", views.verify, name="verify"),
    path("sign-in/set-up/", views.set_up, name="set_up"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("your-account/", views.account, name="account"),
    path("your-account/backup-codes/", views.new_backup_codes, name="new_backup_codes"),
    path("your-account/passkeys/<int:pk>/remove/", views.remove_passkey, name="remove_passkey"),
    path("invitation/choose-password/", views.choose_password, name="choose_password"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password_reset_sent"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

# Every page here is about one person: private, never stored by a browser or proxy.
for pattern in urlpatterns:
    pattern.callback = never_cache(pattern.callback)
