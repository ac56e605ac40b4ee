"""Two rules of a page's <title>, for every app's pages: a list of several pages says which page
it is, and a page whose form has errors says so first (a screen reader reads the title first)."""

from django.utils.translation import gettext as _


def paged_title(title, page):
    """`title`, and which page of how many when the list (`paginate`) has more than one."""
    if page.paginator.num_pages > 1:
        return _("%(title)s, page %(number)s of %(pages)s") % {
            "title": title,
            "number": page.number,
            "pages": page.paginator.num_pages,
        }
    return title


def form_page_title(form, title, error_subject=None):
    """`title`, or while `form` has errors 'Error: ' and `error_subject` (the title unless given)."""
    if form.errors:
        return _("Error: %(title)s") % {"title": title if error_subject is None else error_subject}
    return title
