"""Agreements (MOUs) with partner school districts: statuses from dates, the public pages,
the PDF checks and the record of what changed."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements import page as agreements_page
from agreements.demo_pdf import example_pdf
from agreements.models import Agreement, file_size_label
from agreements.validators import validate_agreement_pdf
from programs.models import Program, ProgramPage
from tests.factories import AgreementFactory, PartnershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)


def status_of(agreement, today=TODAY):
    return Agreement.objects.with_status(today).get(pk=agreement.pk).status


def agreement(effective=-365, review=None, expires=None, **kwargs):
    """An agreement whose dates are given in days from TODAY."""
    days = lambda n: TODAY + timedelta(days=n) if n is not None else None  # noqa: E731
    return AgreementFactory(
        effective_on=days(effective),
        signed_on=days(effective),
        review_on=days(review),
        expires_on=days(expires),
        **kwargs,
    )


# Status from dates, each status and its boundaries.


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({"effective": 1}, Agreement.Status.UPCOMING),
        ({"effective": 0}, Agreement.Status.CURRENT),
        ({"effective": -3000}, Agreement.Status.CURRENT),  # no review or expiry date: runs until replaced
        ({"review": 61}, Agreement.Status.CURRENT),
        ({"review": 60}, Agreement.Status.REVIEW_DUE),  # REVIEW_DUE_DAYS before the review date
        ({"review": 0}, Agreement.Status.REVIEW_DUE),
        ({"review": -10}, Agreement.Status.REVIEW_DUE),  # review date passed, no new agreement: still due
        ({"expires": 61}, Agreement.Status.CURRENT),
        ({"expires": 60}, Agreement.Status.REVIEW_DUE),  # an expiry date near is a review due too
        ({"expires": 0}, Agreement.Status.REVIEW_DUE),  # the expiry date is its last day
        ({"expires": -1}, Agreement.Status.EXPIRED),
        ({"effective": -700, "review": -400, "expires": -1}, Agreement.Status.EXPIRED),
    ],
    ids=repr,
)
def test_status_follows_the_dates(dates, expected):
    assert status_of(agreement(**dates)) == expected


def test_review_due_days_is_a_setting(settings):
    settings.REVIEW_DUE_DAYS = 30
    assert status_of(agreement(review=31)) == Agreement.Status.CURRENT
    assert status_of(agreement(review=30)) == Agreement.Status.REVIEW_DUE


def test_an_older_agreement_is_superseded_from_the_day_the_newer_one_takes_effect():
    old = agreement(effective=-700, expires=-1)
    newer = agreement(effective=0, expires=1000, partnership=old.partnership)
    assert status_of(old) == Agreement.Status.SUPERSEDED
    assert status_of(newer) == Agreement.Status.CURRENT
    yesterday = TODAY - timedelta(days=1)
    assert status_of(old, yesterday) == Agreement.Status.REVIEW_DUE  # its last day
    assert status_of(newer, yesterday) == Agreement.Status.UPCOMING


def test_an_agreement_of_another_district_supersedes_nothing():
    old = agreement(effective=-700)
    agreement(effective=-10, partnership=PartnershipFactory(program=old.partnership.program))
    assert status_of(old) == Agreement.Status.CURRENT


def test_dates_that_contradict_each_other_are_refused():
    for dates in ({"effective": 0, "expires": 0}, {"effective": 0, "review": -1}, {"review": 90, "expires": 30}):
        with pytest.raises(ValidationError):
            AgreementFactory.build(
                partnership=PartnershipFactory(),
                effective_on=TODAY + timedelta(days=dates.get("effective", -365)),
                signed_on=TODAY,
                review_on=TODAY + timedelta(days=dates["review"]) if "review" in dates else None,
                expires_on=TODAY + timedelta(days=dates["expires"]) if "expires" in dates else None,
            ).full_clean()


def test_two_agreements_of_a_district_cannot_start_on_the_same_day():
    first = agreement()
    with pytest.raises(ValidationError, match="already has an agreement in effect from this date"):
        Agreement(
            partnership=first.partnership, signed_on=first.signed_on, effective_on=first.effective_on
        ).full_clean()


# The PDF.


def pdf_upload(content=None, name="mou.pdf"):
    return SimpleUploadedFile(name, content or example_pdf(["Signed agreement"]), content_type="application/pdf")


def test_a_real_pdf_is_accepted():
    validate_agreement_pdf(pdf_upload())


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 a program, not a PDF" * 10,
        b"PK\x03\x04 a zip file named .pdf",
        b"<html>%PDF-1.7 in a web page</html>" + b"x" * 2000,
    ],
    ids=["executable", "zip", "header-not-at-start"],
)
def test_a_file_that_is_not_a_pdf_is_refused(content):
    with pytest.raises(ValidationError, match="not a PDF"):
        validate_agreement_pdf(pdf_upload(content))


def test_a_pdf_cut_short_is_refused():
    with pytest.raises(ValidationError, match="incomplete or damaged"):
        validate_agreement_pdf(pdf_upload(example_pdf(["Signed"])[:-40]))


def test_a_pdf_over_the_size_limit_is_refused(settings):
    settings.AGREEMENT_PDF_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="larger than 100"):
        validate_agreement_pdf(pdf_upload())


def test_the_demo_pdf_is_well_formed():
    pdf = example_pdf(["EXAMPLE ONLY (not a real agreement)", "Back\\slash"])
    xref_at = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))
    assert pdf[xref_at:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in pdf[xref_at:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    assert b"\\(not a real agreement\\)" in pdf


def test_uploading_through_the_admin_refuses_a_fake_pdf_and_saves_nothing(staff_client):
    partnership = PartnershipFactory()
    response = staff_client.post(
        reverse("admin:agreements_agreement_add"),
        {
            "partnership": partnership.pk,
            "signed_on": "2026-06-01",
            "effective_on": "2026-07-01",
            "document": pdf_upload(b"MZ not a pdf at all"),
            "reminders-TOTAL_FORMS": 0,
            "reminders-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "This file is not a PDF" in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_uploaded_pdf_is_stored_with_the_media_and_its_size_recorded(staff_client, settings):
    partnership = PartnershipFactory(district="Fox C-6 School District")
    content = example_pdf(["Signed agreement"])
    response = staff_client.post(
        reverse("admin:agreements_agreement_add"),
        {
            "partnership": partnership.pk,
            "signed_on": "2026-06-01",
            "effective_on": "2026-07-01",
            "document": pdf_upload(content),
            "reminders-TOTAL_FORMS": 0,
            "reminders-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    saved = Agreement.objects.get()
    assert saved.document.name.startswith("agreements/")
    assert saved.document.name.endswith("/fox-c-6-school-district-agreement-2026-07-01.pdf")
    assert (settings.MEDIA_ROOT / saved.document.name).read_bytes() == content
    assert saved.document_size == len(content)


@pytest.mark.parametrize(
    ("size", "label"), [(1, "1 KB"), (240 * 1024, "240 KB"), (1024 * 1024 - 1, "1024 KB"), (2_500_000, "2.4 MB")]
)
def test_file_sizes_read_as_people_say_them(size, label):
    assert file_size_label(size) == label


# The public pages.


def test_program_page_shows_each_district_with_its_agreements_status_dates_and_pdf(client):
    program = ProgramFactory()
    fox = PartnershipFactory(program=program, district="Fox C-6")
    today = timezone.localdate()
    AgreementFactory(
        partnership=fox,
        signed_on=date(2020, 6, 1),
        effective_on=date(2020, 7, 1),
        review_on=None,
        expires_on=date(2021, 6, 30),
        document=pdf_upload(),
    )
    AgreementFactory(
        partnership=fox,
        signed_on=today - timedelta(days=40),
        effective_on=today - timedelta(days=30),
        review_on=today + timedelta(days=20),
        expires_on=None,
        document=SimpleUploadedFile("big.pdf", example_pdf(["x"]) + b"%" * (240 * 1024)),
    )
    PartnershipFactory(program=program, district="Windsor C-1")
    html = client.get(program.get_absolute_url()).content.decode()
    row = re.search(r"<tr>\s*<th scope=\"row\"[^>]*>Fox C-6</th>(.*?)</tr>", html, re.S).group(1)
    assert "Review due" in row
    assert f'Review due by <time datetime="{(today + timedelta(days=20)).isoformat()}"' in row
    assert "(PDF, 241 KB)</a>" in row
    assert "2020" not in row  # the superseded agreement is on the agreements page, not here
    assert "Windsor C-1" in html and "No agreement published" in html
    assert reverse("agreements:program_agreements", args=[program.slug]) in html


def test_an_agreement_signed_for_later_is_announced_beside_the_one_in_effect(client):
    today = timezone.localdate()
    current = AgreementFactory()
    AgreementFactory(partnership=current.partnership, effective_on=today + timedelta(days=10), signed_on=today)
    html = client.get(current.partnership.program.get_absolute_url()).content.decode()
    assert "A new agreement takes effect on" in html
    assert ">Current<" in html


def test_agreements_page_lists_every_agreement_newest_first_with_superseded_ones(client):
    program = ProgramFactory()
    fox = PartnershipFactory(program=program, district="Fox C-6")
    AgreementFactory(partnership=fox, effective_on=date(2019, 7, 1), signed_on=date(2019, 6, 1), review_on=None)
    AgreementFactory(
        partnership=fox,
        effective_on=date(2022, 7, 1),
        signed_on=date(2022, 6, 1),
        agency_signatory="Sheriff Dave Marshak",
        district_signatory="Dr. Pat Smith, Superintendent",
    )
    html = client.get(reverse("agreements:program_agreements", args=[program.slug])).content.decode()
    assert html.index("July 1, 2022") < html.index("July 1, 2019")
    assert "Superseded" in html
    assert "For the agency: <span>Sheriff Dave Marshak</span>." in html
    assert "For the district: <span>Dr. Pat Smith, Superintendent</span>." in html


def test_agreements_page_of_a_draft_is_not_found_by_the_public(client):
    program = ProgramFactory(status=Program.Status.DRAFT)
    assert client.get(reverse("agreements:program_agreements", args=[program.slug])).status_code == 404


def test_agreements_page_with_none_says_whom_to_call(client):
    program = ProgramFactory()
    html = client.get(reverse("agreements:program_agreements", args=[program.slug])).content.decode()
    assert "No agreements are published yet" in html
    assert 'href="tel:+16369493006"' in html


def queries(client, url):
    client.get("/")  # steady state: the alert banner's list is cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def with_agreements(count):
    program = ProgramFactory()
    for n in range(count):
        partnership = PartnershipFactory(program=program)
        AgreementFactory(partnership=partnership, document=pdf_upload())
        AgreementFactory(
            partnership=partnership,
            effective_on=date(2015, 1, 1) + timedelta(days=n),
            signed_on=date(2015, 1, 1),
            review_on=None,
            expires_on=None,
        )
    return program


# The program (its name and phone) and its agreements; the alert list is cached.
AGREEMENTS_PAGE_BUDGET = 2


def test_agreements_page_costs_the_same_queries_for_1_and_40_agreements(
    client, no_page_cache, django_assert_max_num_queries
):
    small, large = with_agreements(1), with_agreements(20)
    url = lambda p: reverse("agreements:program_agreements", args=[p.slug])  # noqa: E731
    client.get("/")  # the alert list is cached, as in steady state
    with django_assert_max_num_queries(AGREEMENTS_PAGE_BUDGET):
        client.get(url(large))
    assert queries(client, url(small)) == queries(client, url(large))


def test_program_page_costs_the_same_queries_for_1_and_40_agreements(client, no_page_cache):
    small, large = with_agreements(1), with_agreements(20)
    ProgramPage.objects.all().delete()
    built = [queries(client, p.get_absolute_url()) for p in (small, large)]
    read = [queries(client, p.get_absolute_url()) for p in (small, large)]
    assert built[0] == built[1]
    assert read == [1, 1]


# Statuses change with the date, with nobody saving anything.


def test_the_program_page_changes_status_on_the_day_the_review_falls_due(client, monkeypatch):
    today = timezone.localdate()
    current = AgreementFactory(review_on=today + timedelta(days=61))
    url = current.partnership.program.get_absolute_url()
    assert ">Current<" in client.get(url).content.decode()
    assert ProgramPage.objects.get().data["valid_until"] == (today + timedelta(days=1)).isoformat()
    monkeypatch.setattr(timezone, "localdate", lambda *a: today + timedelta(days=1))
    client.cookies.clear()
    from django.core.cache import cache

    cache.clear()  # the page cache's entry ends at midnight (below)
    html = client.get(url).content.decode()
    assert ">Review due<" in html


def test_a_document_without_agreements_to_change_holds_until_an_edit():
    program = ProgramFactory()
    PartnershipFactory(program=program)
    program = Program.objects.prefetch_related(agreements_page.agreements_prefetch(TODAY)).get(pk=program.pk)
    assert agreements_page.valid_until(program, TODAY) is None


def test_no_cached_page_outlives_the_day(monkeypatch):
    from agreements.apps import seconds_until_tomorrow
    from page_cache import pages as page_cache

    assert seconds_until_tomorrow in page_cache._TTL_CAPS
    late = timezone.make_aware(timezone.datetime(2026, 11, 29, 23, 58))
    monkeypatch.setattr(timezone, "localtime", lambda *a: late)
    assert seconds_until_tomorrow() == 120


def test_saving_an_agreement_refreshes_the_cached_program_and_agreements_pages(
    client, django_capture_on_commit_callbacks
):
    current = AgreementFactory(agency_signatory="Sheriff Old")
    program = current.partnership.program
    urls = [program.get_absolute_url(), reverse("agreements:program_agreements", args=[program.slug])]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        current.expires_on = timezone.localdate() - timedelta(days=1)
        current.review_on = None
        current.effective_on = current.expires_on - timedelta(days=300)
        current.agency_signatory = "Sheriff New"
        current.save()
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert ">Expired<" in response.content.decode()


# History: every change recorded, older agreements kept.


def test_every_change_to_an_agreement_is_in_its_history():
    current = AgreementFactory(district_signatory="Dr. Smith")
    current.district_signatory = "Dr. Jones"
    current.save()
    assert [h.district_signatory for h in current.history.all()] == ["Dr. Jones", "Dr. Smith"]


def test_a_partnership_with_agreements_cannot_be_deleted_by_accident():
    from django.db.models import ProtectedError

    current = AgreementFactory()
    with pytest.raises(ProtectedError):
        current.partnership.delete()


def test_a_partnerships_old_mou_becomes_its_first_agreement():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("agreements.migrations.0002_agreements_from_partnership_mous")
    dated = PartnershipFactory(mou_signed_on=date(2021, 8, 1), mou_document="mous/fox.pdf")
    PartnershipFactory()  # no MOU: nothing to copy
    migration.copy_partnership_mous(apps, None)
    copied = Agreement.objects.get()
    assert (copied.partnership, copied.signed_on, copied.effective_on) == (dated, date(2021, 8, 1), date(2021, 8, 1))
    assert copied.document.name == "mous/fox.pdf"
    migration.copy_partnership_mous(apps, None)
    assert Agreement.objects.count() == 1


# The program page's document is rebuilt on `valid_until`: no status may change before that day.

AGREEMENT_DATES = st.tuples(
    st.integers(-400, 400),  # in effect from (days from TODAY)
    st.one_of(st.none(), st.integers(1, 400)),  # review date, days after it took effect
    st.one_of(st.none(), st.integers(0, 400)),  # expiry, days after the review date (or the start)
)


@given(st.lists(AGREEMENT_DATES, min_size=1, max_size=4, unique_by=lambda d: d[0]))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_status_changes_before_the_document_says_it_will(dates):
    Agreement.objects.all().delete()
    partnership = PartnershipFactory(district="Random")
    for start, review, expires in dates:
        effective_on = TODAY + timedelta(days=start)
        review_on = effective_on + timedelta(days=review) if review else None
        expires_on = (review_on or effective_on) + timedelta(days=(expires or 0) + 1) if expires is not None else None
        Agreement.objects.create(
            partnership=partnership,
            signed_on=effective_on,
            effective_on=effective_on,
            review_on=review_on,
            expires_on=expires_on,
        )
    program = partnership.program

    def statuses(day):
        return dict(Agreement.objects.with_status(day).values_list("pk", "status"))

    day = TODAY - timedelta(days=450)
    while day < TODAY + timedelta(days=1300):
        loaded = Program.objects.prefetch_related(agreements_page.agreements_prefetch(day)).get(pk=program.pk)
        until = agreements_page.valid_until(loaded, day)
        now = statuses(day)
        end = date.fromisoformat(until) if until else TODAY + timedelta(days=1300)
        # An agreement's status only moves forward (not yet in effect, current, review due,
        # expired; superseded for good), so the day before `end` stands for every day before it.
        if end - timedelta(days=1) > day:
            assert statuses(end - timedelta(days=1)) == now, (day, until)
        if until is None:
            break
        day = end


def test_the_demo_has_example_agreements_of_every_status_in_both_counties(client):
    from io import StringIO

    from django.core.files.uploadedfile import SimpleUploadedFile as Upload
    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    agreements = Agreement.objects.with_status().select_related("partnership__program")
    by_county = {}
    for a in agreements:
        by_county.setdefault(a.partnership.program.slug, set()).add(a.status)
    assert by_county == {
        "st-charles-county": {Agreement.Status.SUPERSEDED, Agreement.Status.REVIEW_DUE},
        "jefferson-county": {Agreement.Status.CURRENT, Agreement.Status.EXPIRED},
    }
    for a in agreements:
        assert a.is_example and "Example" in a.partnership.district
        with a.document.open("rb") as pdf:
            validate_agreement_pdf(Upload("demo.pdf", pdf.read()))
    html = client.get("/programs/jefferson-county/agreements/").content.decode()
    assert html.count('<span class="usa-tag">Example</span>') == 2
    call_command("load_demo", "--reset", stdout=StringIO())
    assert Agreement.objects.count() == len(agreements)
