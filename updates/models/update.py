"""An update: news from a program (new officers, new figures, an agreement renewed), or an
event ("Coffee with the SROs"), published like the program itself: a draft is seen only by
the program's editors; publishing queues the subscribers' emails (updates/sending.py)."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models import EducationTopic, Program, School
from programs.text import paragraphs

# Written in each language (updates/translation.py, django-modeltranslation); the Spanish page
# shows the English where there is no Spanish yet, marked lang="en".
TRANSLATED_FIELDS = ("title", "text", "event_place")
# Addresses under a program's updates/ that are not updates (updates/urls.py).
RESERVED_SLUGS = {"feed", "subscribe"}


def per_language_columns():
    return [f"{field}_{code}" for field in TRANSLATED_FIELDS for code, _ in settings.LANGUAGES]


class UpdateQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: published updates of published programs."""
        return self.filter(status=Update.Status.PUBLISHED, program__status=Program.Status.PUBLISHED)

    def newest_first(self):
        return self.order_by("-date", "-published_at", "-pk")

    def of_program(self, program):
        return self.filter(program=program)

    def in_state(self, state):
        return self.filter(program__agency__state=state)

    def with_list_data(self):
        return self.select_related("program__agency__state")


class Update(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (hidden from the public)"
        PUBLISHED = "published", "Published (shown, and emailed to subscribers)"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(
        max_length=150, help_text="What changed, in a few words, e.g. 'Coffee with the SROs at Central High'."
    )
    slug = models.SlugField(
        max_length=150,
        blank=True,
        help_text="The update's web address, made from its title when left empty. Changing it breaks old links.",
    )
    date = models.DateField(
        default=timezone.localdate, help_text="The date shown with the update; updates are listed newest first."
    )
    text = models.TextField(
        help_text="What readers should know, in plain words. Separate paragraphs with a blank line."
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Publishing shows the update and emails it to the program's subscribers, once.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the update was first public (published, and its program too): its subscribers' emails
    # were queued then, once, and it is in that week's summary. An update published while its
    # program is a draft waits for the program's publication (sending.queue_program_updates).
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    # An event, if the update announces one.
    event_start = models.DateTimeField(
        "event starts", null=True, blank=True, help_text="Only for an event: leave empty for other news."
    )
    event_end = models.DateTimeField("event ends", null=True, blank=True)
    event_place = models.CharField(
        "event place", max_length=200, blank=True, help_text="Where it is, e.g. 'Central High School library'."
    )
    event_is_public = models.BooleanField(
        "open to the public", default=True, help_text="Untick for an event only for students or staff."
    )

    # What it is about, optionally: a school and a topic of the domain; an agreement or a year of
    # figures through a generic link (the model's label and the record's id), since those apps may
    # be absent: a link to an app the site no longer runs is simply not shown (updates/about.py).
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    topic = models.ForeignKey(
        EducationTopic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="topic"
    )
    about_model = models.CharField(max_length=100, blank=True, editable=False)  # "agreements.agreement"
    about_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    is_example = models.BooleanField(
        "example only", default=False, help_text="Made up for the demo; labelled 'Example' on the public pages."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UpdateQuerySet.as_manager()
    # Not announced_at: reverting to an old version must not announce the update a second time.
    history = HistoricalRecords(excluded_fields=[*per_language_columns(), "announced_at"])

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-date", "-published_at", "-pk"]
        indexes = [models.Index(fields=["program", "status", "-date"], name="updates_program_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"],
                name="one_update_address_per_program",
                violation_error_message="Another update of this program has this web address: change it.",
            ),
            models.CheckConstraint(
                condition=Q(event_end__isnull=True)
                | Q(event_start__isnull=False, event_end__gte=models.F("event_start")),
                name="update_event_ends_after_it_starts",
                violation_error_message="An event ends after it starts; give its start first.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from ..sending import queue_update_emails

        if not self.slug:
            self.slug = self._free_slug()
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if self.is_published and self.announced_at is None:
                # In the same transaction: once the update is public, its emails are queued,
                # and a failure to queue leaves it unpublished. Nothing while its program is a
                # draft (then when the program is published). The sending is send_pending_notifications'.
                queue_update_emails(self)

    def get_absolute_url(self):
        return reverse("updates:update_detail", kwargs={"slug": self.program.slug, "update": self.slug})

    def _free_slug(self):
        """The title as a web address, numbered if the program has one like it already."""
        base = slugify(getattr(self, f"title_{settings.LANGUAGE_CODE}", None) or self.title)[:140] or "update"
        if base in RESERVED_SLUGS:
            base = f"{base}-update"
        taken = set(
            Update.objects.filter(program_id=self.program_id, slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        return next(slug for n in range(1, len(taken) + 2) if (slug := base if n == 1 else f"{base}-{n}") not in taken)

    @property
    def about(self):
        """The agreement or year of figures the update is about, or None (none, or its app is gone)."""
        from ..about import record

        return record(self.about_model, self.about_id)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_event(self):
        return self.event_start is not None

    @property
    def paragraphs(self):
        return paragraphs(self.text)
