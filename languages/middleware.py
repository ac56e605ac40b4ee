"""The staff admin in the language the staff member's browser asks for.

With English pages at unprefixed addresses (`i18n_patterns(...,
prefix_default_language=False)`), Django's LocaleMiddleware gives every
unprefixed address the default language, the admin's included. Django's admin
is translated: a staff member whose browser asks for Spanish gets it in
Spanish, everyone else in English, as before.
"""

from django.conf import settings
from django.utils import translation


class AdminLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/" + settings.ADMIN_URL):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
