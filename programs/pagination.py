"""Long lists in pages (`?page=N`), with the links USWDS's pagination component shows."""

from dataclasses import dataclass

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the ellipsis standing for pages not listed
    url: str = ""
    current: bool = False
    last: bool = False


def paginate(request, items, per_page):
    """The page of `items` that `?page=N` asks for, with `links`, `previous_url` and `next_url`.

    A page that does not exist is a 404, not the nearest page: a stale or
    made-up address must not become a second copy of a real page.
    """
    paginator = Paginator(items, per_page)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such page.") from error
    last = paginator.num_pages
    page.links = [
        PageLink(None)
        if number == paginator.ELLIPSIS
        else PageLink(number, page_url(request, number), number == page.number, number == last)
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    page.previous_url = page_url(request, page.number - 1) if page.has_previous() else ""
    page.next_url = page_url(request, page.number + 1) if page.has_next() else ""
    return page


def page_url(request, number):
    """This address with `page=number`; page 1 is the address without it."""
    params = request.GET.copy()
    params.pop("page", None)
    if number > 1:
        params["page"] = number
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path
