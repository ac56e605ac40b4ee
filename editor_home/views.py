"""'Reviewed today' on the editor's home: one click confirms a program page is current."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.models import Program

from .reviews import mark_reviewed_today


def reviewed_today_view(site):
    @require_POST
    def reviewed_today(request, pk):
        program = get_object_or_404(Program.objects.select_related("agency"), pk=pk)
        if not site._registry[Program].has_change_permission(request, program):
            raise PermissionDenied  # another agency's program, or no right to change programs
        mark_reviewed_today(program, request.user)
        messages.success(
            request,
            _("%(program)s: marked as reviewed today. The public page now shows today's date.")
            % {"program": program.page_title},
        )
        return redirect(reverse("admin:index", current_app=site.name) + "#my-programs")

    return reviewed_today


def admin_urls(site):
    """Mounted inside the admin (programs/admin_site.py), behind its sign-in and second factor."""
    from django.urls import path

    return [
        path(
            "editor-home/programs/<int:pk>/reviewed-today/",
            site.admin_view(reviewed_today_view(site)),
            name="editor_home_reviewed_today",
        )
    ]
