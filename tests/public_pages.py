"""Every public page the accessibility and HTML checks visit, with the demo
data loaded (`load_demo`). Add a page here and both checks cover it.

A page is reached by a GET of its path, or, for the pages a form leads to,
by posting the form at that path: SUBMIT_EMPTY (the form with its errors),
valid values such as SUBMIT_VALID (the thank-you page), or RateLimited values
(posted once the rate limit is reached: the 429 page)."""

from programs.models import current_school_year


class RateLimited(dict):
    """Values posted once the form's rate limit is reached; `title` begins the page's title."""

    def __init__(self, values, title):
        super().__init__(values)
        self.title = title


SUBMIT_EMPTY = {}
SUBMIT_VALID = {
    "name": "Pat Teacher",
    "email": "pat@example.org",
    "message": "Who is our officer?",
    "wants_reply": "yes",
}
# The complaint and commendation form (officer_feedback).
FEEDBACK_VALID = {
    "kind": "commendation",
    "what_happened": "The officer helped my daughter find her lost bus pass.",
    "name": "Pat Parent",
    "email": "pat@example.org",
}

# The accessibility barrier report (programs' contact forms).
BARRIER_VALID = {
    "name": "Pat Reader",
    "email": "pat@example.org",
    "message": "The agreement PDF on the Jefferson County page does not read aloud. Please email me its text.",
}

# Subscribing to a program's updates by email (updates/).
SUBSCRIBE_VALID = {"email": "pat@example.org", "frequency": "weekly"}

PUBLIC_PAGES = {
    "home": ("/", None),
    "state": ("/states/mo/", None),
    "program-st-charles": ("/programs/st-charles-county/", None),
    "program-jefferson": ("/programs/jefferson-county/", None),
    "agreements": ("/programs/jefferson-county/agreements/", None),
    "agreements-st-charles": ("/programs/st-charles-county/agreements/", None),
    "topic-list": ("/topics/", None),
    "topic": ("/topics/driver-safety/", None),
    "school-search": ("/schools/", None),
    "school-search-results": ("/schools/?q=example", None),
    "school-search-no-results": ("/schools/?q=atlantis", None),
    "school-search-with-errors": ("/schools/?q=x", None),
    "school-search-filtered": ("/schools/?q=example&state=mo&county=Jefferson", None),
    "school-search-misspelled": ("/schools/?q=exampel+hig", None),
    "school": ("/schools/example-middle-st-charles/", None),
    "presentation-form": ("/programs/st-charles-county/request-a-presentation/", None),
    "presentation-form-with-errors": ("/programs/st-charles-county/request-a-presentation/", SUBMIT_EMPTY),
    "question-form": ("/programs/jefferson-county/ask-a-question/", None),
    "thank-you": ("/programs/jefferson-county/ask-a-question/", SUBMIT_VALID),
    "rate-limited": ("/programs/jefferson-county/ask-a-question/", RateLimited(SUBMIT_VALID, "Please wait")),
    "compliment-or-complain": ("/programs/jefferson-county/compliment-or-complain/", None),
    "compliment-or-complain-with-errors": ("/programs/st-charles-county/compliment-or-complain/", SUBMIT_EMPTY),
    "compliment-or-complain-thank-you": ("/programs/st-charles-county/compliment-or-complain/", FEEDBACK_VALID),
    "compliment-or-complain-rate-limited": (
        "/programs/jefferson-county/compliment-or-complain/",
        RateLimited(FEEDBACK_VALID, "Your report was not sent"),
    ),
    "not-found": ("/no-such-page/", None),
    # The privacy notice and the accessibility statement, with its barrier report form.
    "privacy": ("/privacy/", None),
    "accessibility": ("/accessibility/", None),
    "report-a-barrier": ("/programs/st-charles-county/report-an-accessibility-barrier/", None),
    "report-a-barrier-with-errors": ("/programs/jefferson-county/report-an-accessibility-barrier/", SUBMIT_EMPTY),
    "report-a-barrier-thank-you": ("/programs/jefferson-county/report-an-accessibility-barrier/", BARRIER_VALID),
    # Yearly figures (program_data/): the demo's example figures of the last two school years.
    "program-data-st-charles": ("/programs/st-charles-county/data/", None),
    "program-data-jefferson": ("/programs/jefferson-county/data/", None),
    "state-data": ("/states/mo/data/", None),
    "state-data-earlier-year": (f"/states/mo/data/{current_school_year() - 2}/", None),
    # Open data (open_data/): the page explaining the files and fields, and the API's reference.
    "open-data": ("/open-data/", None),
    "open-data-api-reference": ("/open-data/api/", None),
    # Updates and events (updates/): the demo's examples; the event's page; subscribing by email.
    "updates-program": ("/programs/st-charles-county/updates/", None),
    "updates-state": ("/states/mo/updates/", None),
    "updates-site": ("/updates/", None),
    "update-event": ("/programs/jefferson-county/updates/example-coffee-with-the-sros/", None),
    "update-news": ("/programs/st-charles-county/updates/example-new-yearly-figures-published/", None),
    "subscribe": ("/programs/jefferson-county/updates/subscribe/", None),
    "subscribe-with-errors": ("/programs/jefferson-county/updates/subscribe/", SUBMIT_EMPTY),
    "subscribe-state": ("/states/mo/updates/subscribe/", None),
    "subscribe-check-your-email": ("/programs/st-charles-county/updates/subscribe/", SUBSCRIBE_VALID),
    "subscribe-rate-limited": (
        "/programs/st-charles-county/updates/subscribe/",
        RateLimited(SUBSCRIBE_VALID, "Please wait"),
    ),
    "subscription-link-not-valid": ("/updates/confirm/not-a-link/", None),
}

# The same pages in Spanish (/es/...): every check covers both languages. The
# 429 pages' titles begin in Spanish.
SPANISH_TITLES = {"Please wait": "Espere antes de volver", "Your report was not sent": "Su informe no se envió"}
PUBLIC_PAGES |= {
    f"es-{name}": (
        "/es" + path,
        RateLimited(post, SPANISH_TITLES[post.title]) if isinstance(post, RateLimited) else post,
    )
    for name, (path, post) in PUBLIC_PAGES.items()
}

# What each page answers; every other page is a 200.
EXPECTED_STATUS = {
    "rate-limited": 429,
    "compliment-or-complain-rate-limited": 429,
    "subscribe-rate-limited": 429,
    "not-found": 404,
    "subscription-link-not-valid": 400,
}


def expected_status(name):
    return EXPECTED_STATUS.get(name.removeprefix("es-"), 200)


def thank_you_title(path):
    """How a thank-you page's title begins, in the page's language (for a subscription: check your email)."""
    spanish = path.startswith("/es/")
    if "/updates/subscribe/" in path:
        return "Revise su correo" if spanish else "Check your email"
    return "Gracias" if spanish else "Thank you"
