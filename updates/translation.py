"""An update's words in English and Spanish (django-modeltranslation, as programs/translation.py):
a Spanish page shows the English where there is no Spanish yet, marked lang="en"."""

from modeltranslation.translator import translator

from .models import Update
from .models.update import TRANSLATED_FIELDS

translator.register(Update, fields=TRANSLATED_FIELDS, required_languages={"en": ("title", "text")})
