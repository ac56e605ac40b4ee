"""The staff admin site: Django's, with a second factor when OTP_REQUIRED."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    site_header = "SRO program site: staff editing"
    site_title = "SRO staff editing"
    index_title = "Program content"

    @property
    def login_form(self):
        # Read per request, so the setting (and tests) can switch the factor on and off.
        return OTPAdminAuthenticationForm if settings.OTP_REQUIRED else AdminAuthenticationForm

    def has_permission(self, request):
        if settings.OTP_REQUIRED:
            return super().has_permission(request)  # active staff AND verified by a second factor
        return request.user.is_active and request.user.is_staff
