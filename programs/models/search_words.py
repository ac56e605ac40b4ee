from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """A word of some school's name, city or district, folded as the search folds what people type.

    The school search's spelling help: a word typed that starts none of these
    is a typo, and the search tries the words one letter away. `schools` counts
    the schools using the word at the last full count (`refresh_search_words`);
    a school saved since adds its new words with a count of 1.
    """

    word = models.CharField(max_length=100, unique=True)
    schools = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
