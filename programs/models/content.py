"""The content of a county's School Resource Officer (SRO) page.

Everything county-specific is data: a third county is added in the admin,
never in code. Every model that staff edit reaches an `Agency`, so editing
rights can be scoped to an agency.
"""

import functools
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from ..images import ProcessedPhotoMixin, officer_photo_path, program_photo_path, validate_photo
from ..text import paragraphs
from ..validators import validate_pdf
from .staff import editable_agency_ids
from .translated import ProgramHistory, in_default_language, per_language_columns, written

# What `programs.models` offers of this module.
__all__ = ["State", "Agency", "Program", "EducationTopic", "Officer", "School", "Assignment", "Goal", "MissionRole"]
__all__ += ["Outcome", "Partnership", "Photo", "current_school_year", "format_school_year"]


def current_school_year(today: date | None = None) -> int:
    """The calendar year a school year starts in (July 1 begins the new one)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


def format_school_year(start_year: int) -> str:
    return f"{start_year}–{(start_year + 1) % 100:02d}"


class StateQuerySet(models.QuerySet):
    def with_published_programs(self):
        """States with at least one published program, each with `program_count`."""
        published = Q(agencies__programs__status=Program.Status.PUBLISHED)
        # Meta.ordering does not apply to a query with GROUP BY: it must be asked for.
        return (
            self.annotate(program_count=models.Count("agencies__programs", filter=published))
            .filter(program_count__gt=0)
            .order_by("name")
        )


class State(models.Model):
    """A U.S. state, carrying the statewide anonymous school-safety tip line."""

    code = models.CharField(max_length=2, unique=True, help_text="Two-letter postal code, e.g. MO.")
    name = models.CharField(max_length=50, unique=True)
    tip_line_name = models.CharField(
        "tip line name",
        max_length=100,
        blank=True,
        help_text="The state's anonymous school-safety reporting line, e.g. Courage2ReportMO.",
    )
    tip_line_phone = PhoneNumberField("tip line phone", blank=True)
    tip_line_url = models.URLField("tip line website", blank=True)

    objects = StateQuerySet.as_manager()

    class Meta:
        verbose_name = _("state")
        verbose_name_plural = _("states")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:state_detail", kwargs={"code": self.code.lower()})


class Agency(models.Model):
    class Kind(models.TextChoices):
        POLICE_DEPARTMENT = "police", "Police department"
        SHERIFFS_OFFICE = "sheriff", "Sheriff's office"

    name = models.CharField(max_length=150, unique=True, help_text="Full name, e.g. Jefferson County Sheriff's Office.")
    slug = models.SlugField(
        max_length=150, unique=True, help_text="Used in web addresses. Letters, numbers and hyphens."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    county = models.CharField(max_length=100, help_text="County name without the word 'County', e.g. Jefferson.")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="agencies")
    website = models.URLField(blank=True)
    phone = PhoneNumberField("main phone", blank=True, help_text="Non-emergency main line.")
    street_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField("ZIP code", max_length=10, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency")
        ordering = ["county", "name"]
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name

    @property
    def county_name(self):
        return f"{self.county} County"


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Program.Status.PUBLISHED)

    def visible_to(self, user):
        """The public sees published pages; staff also preview their own agencies' drafts."""
        if not (user.is_authenticated and user.is_staff):
            return self.published()
        allowed = editable_agency_ids(user)
        if allowed is None:
            return self
        return self.filter(Q(status=Program.Status.PUBLISHED) | Q(agency_id__in=allowed))

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def in_state(self, state):
        return self.filter(agency__state=state)

    def with_card_data(self):
        return self.select_related("agency__state")

    def with_page_data(self, year):
        """Everything the program page shows, in a constant number of queries; officers by `year`'s assignments."""
        return self.select_related("agency__state").prefetch_related(
            "roles",
            "goals",
            "outcomes",
            "photos",
            "topics",
            "partnerships",
            Prefetch(
                "agency__officers",
                queryset=Officer.objects.active().prefetch_related(
                    Prefetch(
                        "assignments",
                        queryset=Assignment.objects.filter(school_year=year).select_related("school"),
                        to_attr="current_assignments",
                    )
                ),
                to_attr="active_officers",
            ),
            Prefetch("agency__schools", queryset=School.objects.order_by("name"), to_attr="served_schools"),
        )


class Program(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (hidden from the public)"
        PUBLISHED = "published", "Published"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=150, help_text="Usually 'School Resource Officer Program'.")
    slug = models.SlugField(
        max_length=150,
        unique=True,
        help_text="The page's web address, e.g. st-charles-county. Changing it breaks old links.",
    )
    summary = models.CharField(
        max_length=200,
        help_text=(
            "One sentence shown under the program's name on its page, on the cards of the topics it teaches"
            " and to search engines. Under 160 characters works best."
        ),
    )
    overview = models.TextField(
        help_text="A few short paragraphs on what the program is. Separate paragraphs with a blank line."
    )
    year_started = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    funding = models.CharField(
        max_length=200, blank=True, help_text="How the program is paid for, e.g. 'Grant-funded'."
    )
    partners = models.CharField(
        max_length=300, blank=True, help_text="Who the agency works with, e.g. 'School districts in the county'."
    )
    mission = models.TextField(blank=True, help_text="What the officers set out to do, in plain words.")
    primary_duty = models.TextField(blank=True, help_text="The officers' main duty on campus and what it involves.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="The date someone last checked every fact on this page. Shown to the public."
    )
    contact_division = models.CharField(
        "division or office", max_length=150, help_text="Who answers questions, e.g. 'Community Education Division'."
    )
    contact_name = models.CharField("contact person", max_length=150, blank=True)
    contact_phone = PhoneNumberField("contact phone", help_text="A number the public can call, e.g. 636-949-3006.")
    contact_email = models.EmailField("contact email", blank=True)
    contact_address = models.TextField("postal address", blank=True, help_text="As it should appear on an envelope.")
    contact_hours = models.CharField(
        "office hours", max_length=150, blank=True, help_text="e.g. Monday to Friday, 8 a.m. to 4:30 p.m."
    )
    topics = models.ManyToManyField(
        "EducationTopic", blank=True, related_name="programs", help_text="Topics the officers teach in classrooms."
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Optimistic concurrency: the admin form carries it; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    objects = ProgramQuerySet.as_manager()

    # Which topics it teaches is part of its history.
    history = ProgramHistory(excluded_fields=per_language_columns("program"), m2m_fields=[topics])

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["agency__county", "name"]

    def __str__(self):
        return f"{self.agency.county_name}: {self.name}"

    def get_absolute_url(self):
        return reverse("programs:program_detail", kwargs={"slug": self.slug})

    @property
    def page_title(self):
        """e.g. 'St. Charles County School Resource Officer Program'."""
        county = self.agency.county_name
        return self.name if county in self.name else f"{county} {self.name}"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def overview_paragraphs(self):
        return paragraphs(self.overview)

    @property
    def supervisor(self):
        officers = getattr(self.agency, "active_officers", None)
        if officers is None:
            officers = self.agency.officers.active()
        return next((o for o in officers if o.role == Officer.Role.SUPERVISOR), None)


class OrderedByEditor(models.Model):
    """A part of a program's page listed in the order its editor gives it (`order`, lower first), then as added."""

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class MissionRole(OrderedByEditor):
    """One of the roles an officer plays, e.g. advisor, educator, law-enforcement officer."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    history = HistoricalRecords(excluded_fields=per_language_columns("missionrole"))

    class Meta(OrderedByEditor.Meta):
        verbose_name = _("mission role")
        verbose_name_plural = _("mission roles")

    def __str__(self):
        return self.name


class Goal(OrderedByEditor):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200, help_text="The goal in a few words.")
    description = models.TextField(blank=True, help_text="What it means in practice.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    history = HistoricalRecords(excluded_fields=per_language_columns("goal"))

    class Meta(OrderedByEditor.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.title


class EducationTopic(models.Model):
    """A classroom topic from a shared catalogue, so programs teaching it can be compared."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="What a class on this topic covers.")

    history = HistoricalRecords(excluded_fields=per_language_columns("educationtopic"))

    class Meta:
        verbose_name = _("education topic")
        verbose_name_plural = _("education topics")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:topic_detail", kwargs={"slug": self.slug})


class Outcome(OrderedByEditor):
    """A measured result, always with its source, e.g. '60% fewer offenses on campus'."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcomes")
    figure = models.CharField(max_length=30, help_text="The number itself, e.g. '60%'.")
    label = models.CharField(
        max_length=200, help_text="What the figure measures, e.g. 'drop in criminal offenses on campuses'."
    )
    period = models.CharField(max_length=100, blank=True, help_text="e.g. 'since the program began in 1997'.")
    source = models.CharField(max_length=200, help_text="Who measured it. Say if it is an estimate.")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=per_language_columns("outcome"))

    class Meta(OrderedByEditor.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return f"{self.figure} {self.label}"


def uploaded_photo_fields(upload_to, blank=False):
    """An uploaded photo and its width and height in pixels, which ProcessedPhotoMixin fills in on save."""
    return (
        models.ImageField(
            upload_to=upload_to,
            blank=blank,
            validators=[validate_photo],
            help_text="JPEG, PNG or WebP, at least 320 pixels wide. Location and camera data are removed on upload.",
        ),
        models.PositiveIntegerField(null=True, blank=True, editable=False),
        models.PositiveIntegerField(null=True, blank=True, editable=False),
    )


class OfficerQuerySet(models.QuerySet):
    def active(self):
        # Supervisors first, then alphabetical.
        return self.filter(is_active=True).order_by(
            models.Case(models.When(role="supervisor", then=0), default=1), "last_name", "first_name"
        )


class Officer(ProcessedPhotoMixin, models.Model):
    photo_field, photo_width_field, photo_height_field = "photo", "photo_width", "photo_height"

    class Role(models.TextChoices):
        SRO = "sro", _("School Resource Officer")
        SUPERVISOR = "supervisor", _("SRO Supervisor")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="officers")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    rank = models.CharField(max_length=100, blank=True, help_text="Rank or title, e.g. Sergeant, Deputy, Officer.")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SRO)
    photo, photo_width, photo_height = uploaded_photo_fields(officer_photo_path, blank=True)
    photo_alt = models.CharField(
        "photo description",
        max_length=250,
        blank=True,
        help_text=(
            "Describe the photo for people who cannot see it, e.g. 'Deputy Smith in uniform, smiling'. "
            "Required with a photo."
        ),
    )
    phone = PhoneNumberField(blank=True)
    email = models.EmailField(blank=True)
    bio = models.TextField("short biography", blank=True)
    is_active = models.BooleanField(
        "currently serving", default=True, help_text="Untick instead of deleting when an officer leaves."
    )
    is_example = models.BooleanField(
        "example only", default=False, help_text="Demo data, not a real person. Shown with an 'Example' label."
    )

    # Optimistic concurrency: the admin form carries it; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    objects = OfficerQuerySet.as_manager()

    # A replaced photo's files are deleted, so history keeps no pointer to them
    # (a revert would bring back a broken image); photo changes show in the alt text.
    history = HistoricalRecords(
        excluded_fields=[*per_language_columns("officer"), "photo", "photo_width", "photo_height"]
    )

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["last_name", "first_name"]
        # Lists are read in this order, a page at a time: at 25,000 officers an
        # index serves the first page instead of a sort of every row.
        indexes = [models.Index(fields=["last_name", "first_name"], name="officer_name_order")]
        constraints = [
            models.CheckConstraint(condition=Q(photo="") | written("photo_alt"), name="officer_photo_has_alt_text"),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(role="supervisor", is_active=True),
                name="one_active_supervisor_per_agency",
                violation_error_message="This agency already has an active SRO supervisor.",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self):
        return f"{self.rank} {self.full_name}".strip()

    def clean(self):
        # The default language's description: every page falls back to it, and the database
        # requires it (officer_photo_has_alt_text), whatever the language of the admin.
        described = in_default_language("photo_alt")
        if self.photo and not (getattr(self, described) or "").strip():
            raise ValidationError({described: "Describe the photo so people using screen readers know what it shows."})


@functools.cache
def _published_program_exists():
    """EXISTS (a published program of the school's agency), built once: building its
    queryset cost 0.2 ms of every public page's 0.35 ms `public()`, and filter()
    resolves a copy of it, never the expression itself."""
    return Exists(Program.objects.published().filter(agency_id=OuterRef("agency_id")))


class SchoolQuerySet(models.QuerySet):
    def public(self):
        """Schools of agencies whose program is published; a county not yet live stays hidden."""
        # EXISTS rather than a join and DISTINCT: no duplicate rows to remove,
        # which at 100,000 schools is a sort of every matching row.
        return self.filter(_published_program_exists())

    def in_area(self, state_code="", county=""):
        """Schools served by the agencies of a state (postal code) and a county (name without 'County')."""
        schools = self
        if state_code:
            schools = schools.filter(agency__state__code=state_code.upper())
        if county:
            schools = schools.filter(agency__county__iexact=county)
        return schools


class School(models.Model):
    class Level(models.TextChoices):
        """The school levels of the federal school directory (NCES CCD, column LEVEL)."""

        PREKINDERGARTEN = "prekindergarten", "Prekindergarten"
        ELEMENTARY = "elementary", "Elementary"
        MIDDLE = "middle", "Middle"
        HIGH = "high", "High"
        SECONDARY = "secondary", "Secondary (middle and high)"
        ADULT_EDUCATION = "adult-education", "Adult education"
        UNGRADED = "ungraded", "Ungraded"
        OTHER = "other", "Other"

    # Grade codes as the federal school directory writes them (columns GSLO and GSHI): PK, KG, 01 to 13, UG, AE.
    Grade = models.TextChoices(
        "Grade",
        [
            ("PREKINDERGARTEN", ("PK", _("Pre-K"))),
            ("KINDERGARTEN", ("KG", _("K"))),
            *((f"GRADE_{n}", (f"{n:02}", str(n))) for n in range(1, 14)),
            ("UNGRADED", ("UG", _("Ungraded"))),
            ("ADULT_EDUCATION", ("AE", _("Adult education"))),
        ],
    )

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="schools",
        help_text="The agency whose officers serve this school.",
    )
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    district = models.CharField(max_length=150, blank=True)
    city = models.CharField(max_length=100)
    street_address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField("ZIP code", max_length=10, blank=True)
    phone = PhoneNumberField("main office phone", blank=True)
    website = models.URLField(blank=True)
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    grade_lowest = models.CharField("lowest grade", max_length=2, choices=Grade.choices, blank=True)
    grade_highest = models.CharField("highest grade", max_length=2, choices=Grade.choices, blank=True)
    nces_id = models.CharField(
        "NCES school ID",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", "An NCES school ID is 12 digits, e.g. 290003000001.")],
        help_text=(
            "The school's 12-digit ID in the federal school directory (NCES). Filled in by the school import, "
            "which finds the school by it next year; leave it as it is. Look a school up at "
            "nces.ed.gov/ccd/schoolsearch."
        ),
    )
    nces_district_id = models.CharField(
        "NCES district ID",
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^\d{7}$", "An NCES district ID is 7 digits, e.g. 2900003.")],
        help_text="The school district's 7-digit ID in the federal school directory (NCES), also called LEAID.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    is_example = models.BooleanField(
        "example only", default=False, help_text="Demo data, not a real school. Shown with an 'Example' label."
    )

    # Optimistic concurrency: the admin form carries it; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    objects = SchoolQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        # The admin's list and the directory read schools by name, a page at a time (100,000 of them).
        indexes = [models.Index(fields=["name"], name="school_name_order")]
        constraints = [
            # Schools entered by hand have no NCES ID yet; those that have one have their own.
            models.UniqueConstraint(
                fields=["nces_id"],
                condition=~Q(nces_id=""),
                name="school_nces_id_unique",
                violation_error_message="Another school already has this NCES school ID.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:school_detail", kwargs={"slug": self.slug})

    @property
    def grades(self):
        """e.g. 'Grades K–5', 'Grade 9', or '' when the directory does not say; in the page's language."""
        if not (self.grade_lowest and self.grade_highest):
            return ""
        if self.grade_lowest == self.grade_highest:
            return gettext("Grade %(grade)s") % {"grade": self.get_grade_lowest_display()}
        return gettext("Grades %(lowest)s–%(highest)s") % {
            "lowest": self.get_grade_lowest_display(),
            "highest": self.get_grade_highest_display(),
        }


class Assignment(models.Model):
    """An officer serving a school for one school year."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="assignments")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assignments")
    school_year = models.PositiveSmallIntegerField(
        default=current_school_year,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="The year the school year starts, e.g. 2026 for 2026–27.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-school_year", "school__name"]
        # This year's assignments are what every page and the admin's year filter ask for.
        indexes = [models.Index(fields=["school_year"], name="assignment_school_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "school", "school_year"], name="one_assignment_per_officer_school_year"
            )
        ]

    def __str__(self):
        return f"{self.officer} at {self.school} ({format_school_year(self.school_year)})"

    def clean(self):
        if self.officer_id and self.school_id and self.officer.agency_id != self.school.agency_id:
            raise ValidationError("The officer and the school must belong to the same agency.")


class Partnership(models.Model):
    """A partner school district and its memorandum of understanding (MOU)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="partnerships")
    district = models.CharField("school district", max_length=150)
    mou_signed_on = models.DateField("MOU signed on", null=True, blank=True)
    mou_document = models.FileField(
        "MOU document (PDF)",
        upload_to="mous/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        help_text="Publish the signed memorandum of understanding as a PDF, if the agency releases it.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["district"]
        constraints = [models.UniqueConstraint(fields=["program", "district"], name="one_partnership_per_district")]

    def __str__(self):
        return self.district


class Photo(ProcessedPhotoMixin, OrderedByEditor):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="photos")
    image, image_width, image_height = uploaded_photo_fields(program_photo_path)
    alt_text = models.CharField(
        "photo description", max_length=250, help_text="Describe what the photo shows, for people who cannot see it."
    )
    caption = models.CharField(max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(
        excluded_fields=[*per_language_columns("photo"), "image", "image_width", "image_height"]
    )

    class Meta(OrderedByEditor.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [models.CheckConstraint(condition=written("alt_text"), name="photo_has_alt_text")]

    def __str__(self):
        return self.alt_text
