"""Admin lists that stay quick with a whole country's schools and officers.

Django's change list counts every row twice on each page view (the filtered
count for the paginator and the unfiltered one beside the search box), and
a related-only filter lists every distinct value of its column. At 100,000
schools a superuser's list would spend its time counting and rendering a
3,100-entry agency filter. So: counts stop at COUNT_CAP (the list says "more
than 10,000", and search or filters narrow it), the unfiltered count is not
asked for, and filters whose choices grow with the country are offered only
to editors, whose lists are scoped to their own agencies.
"""

from functools import cached_property

from django.core.paginator import Paginator

from ..models import editable_agency_ids

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: SELECT COUNT(*) FROM (... LIMIT n)."""

    @cached_property
    def count(self):
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self):
        return self.count > COUNT_CAP


class LargeListMixin:
    paginator = CappedCountPaginator
    show_full_result_count = False
    # Filters whose choices grow with the number of agencies or districts in the
    # site: offered to editors (scoped to their agencies), not to superusers.
    per_agency_filters = ()

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if editable_agency_ids(request.user) is not None:
            return filters
        return [f for f in filters if _filter_name(f) not in self.per_agency_filters]


def _filter_name(list_filter):
    return list_filter[0] if isinstance(list_filter, tuple) else list_filter
