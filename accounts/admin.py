"""Staff accounts in the admin (superusers only): invite an editor, reset a lost
second factor, resend an invitation, and the record of every such change."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.admin.read_only import WrittenByTheSiteMixin
from programs.admin.scoping import SuperusersOnlyMixin

from . import invitations, second_factor
from .editors import make_editor
from .forms import InviteEditorForm
from .models import AccountEvent, Invitation

User = get_user_model()


def _send_invitation(request, user, agency=None):
    """Create and email a fresh invitation; say plainly what happened, never show the link."""
    invitation = invitations.create(user, user.email, agency=agency, sent_by=request.user)
    try:
        invitations.send(invitation, request.build_absolute_uri("/"))
    except Exception as error:  # any mail failure: the account stays, the message says what to fix
        messages.error(
            request,
            _(
                "The account for %(username)s is saved, but the invitation could not be emailed (%(error)s). "
                "Check the mail settings (EMAIL_URL), then use 'Send a new invitation' on the user list."
            )
            % {"username": user.get_username(), "error": error.__class__.__name__},
        )
        return False
    messages.success(
        request,
        _("Invitation emailed to %(email)s. The link works once, for %(days)d days.")
        % {"email": user.email, "days": settings.INVITATION_DAYS},
    )
    return True


class AccountEventInline(admin.TabularInline):
    model = AccountEvent
    fk_name = "user"
    fields = ["at", "kind", "actor", "detail"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("Sign-in changes (newest first)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(SuperusersOnlyMixin, UserAdmin):
    list_display = ["username", "email", "is_active", "is_superuser", "second_factor", "last_login"]
    list_filter = ["is_active", "is_superuser", "groups"]
    actions = ["reset_second_factor", "send_new_invitation"]
    inlines = [AccountEventInline]
    change_list_template = "admin/accounts/user_change_list.html"

    @admin.display(description=gettext_lazy("Second factor"))
    def second_factor(self, user):
        return _("set up") if second_factor.has_second_factor(user) else _("not yet")

    def save_model(self, request, obj, form, change):
        obj._changed_by = request.user  # named in the record when this save deactivates them
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Reset second factor (they set it up again at next sign-in)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor.reset(user, actor=request.user)
        self.message_user(
            request,
            _(
                "Second factor reset for %(usernames)s: app, backup codes and passkeys removed. "
                "At their next sign-in they set up a new authenticator app."
            )
            % {"usernames": ", ".join(u.get_username() for u in queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Send a new invitation (the earlier link stops working)"))
    def send_new_invitation(self, request, queryset):
        for user in queryset:
            if not user.email:
                message = _("%(username)s has no email address: add one first.") % {"username": user.get_username()}
                self.message_user(request, message, messages.ERROR)
                continue
            _send_invitation(request, user)

    def get_urls(self):
        return [
            path("invite/", self.admin_site.admin_view(self.invite_view), name="accounts_invite_editor"),
            *super().get_urls(),
        ]

    def invite_view(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied
        form = InviteEditorForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            user, created, _added = make_editor(data["username"], data["agency"], data["email"])
            if _send_invitation(request, user, agency=data["agency"]):
                return redirect(reverse("admin:auth_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invite an editor"),
            "form": form,
            "opts": self.model._meta,
            "days": settings.INVITATION_DAYS,
        }
        return TemplateResponse(request, "admin/accounts/invite_editor.html", context)


class SuperuserOnlyReadOnly(WrittenByTheSiteMixin, SuperusersOnlyMixin, admin.ModelAdmin):
    """A record: superusers read it, nobody edits or deletes it."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(SuperuserOnlyReadOnly):
    list_display = ["at", "user", "kind", "actor", "detail"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__email", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["user", "actor"]


@admin.register(Invitation)
class InvitationAdmin(SuperuserOnlyReadOnly):
    list_display = ["created_at", "email", "user_link", "agency", "sent_by", "status"]
    search_fields = ["email", "user__username"]
    list_select_related = ["user", "agency", "sent_by"]

    @admin.display(description="User")
    def user_link(self, invitation):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:auth_user_change", args=[invitation.user_id]), invitation.user
        )
