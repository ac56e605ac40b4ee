"""The staff admin site: Django's, behind the two-step sign-in of the accounts app, with the
editor's home as its index. The project composes it: the domain's admin and each app's register
into it by Django's admin autodiscovery."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django_otp.admin import OTPAdminSite

from accounts.views import SignOutView
from editor_home.home import home_context
from editor_home.sections import group_by_section, mark_english_names
from editor_home.views import admin_urls


class StaffAdminSite(OTPAdminSite):
    site_header = gettext_lazy("SRO program site: staff editing")
    site_title = gettext_lazy("SRO staff editing")
    index_title = gettext_lazy("Program content")

    def has_permission(self, request):
        if settings.OTP_REQUIRED:
            return super().has_permission(request)  # active staff AND verified by a second factor
        return request.user.is_active and request.user.is_staff

    # The index is the editor's home (editor_home/): their programs, what needs
    # attention, recent changes by others, and the models grouped by task.
    def index(self, request, extra_context=None):
        return super().index(request, {**home_context(request, self), **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        return mark_english_names(app_list if app_label else group_by_section(app_list))

    def get_urls(self):
        return admin_urls(self) + super().get_urls()

    def logout(self, request, extra_context=None):
        return SignOutView.as_view()(request)

    def login(self, request, extra_context=None):
        # One sign-in page for the whole site (accounts/views.py): it asks for the
        # second factor, or sets one up, instead of the admin's single form.
        url = reverse("accounts:sign_in")
        next_url = request.GET.get("next")
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
