"""Receivers: remember signed-in sessions; end them all when an account is deactivated."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import AccountEvent, record
from .sessions import end_sessions, remember_session


@receiver(user_logged_in, dispatch_uid="accounts-remember-session")
def _remember(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_session(request, user)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="accounts-end-sessions-on-deactivation")
def _end_sessions_when_deactivated(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance.is_active:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        # In the save's own transaction (database sessions): both happen or neither.
        end_sessions(instance)
        record(instance, AccountEvent.Kind.DEACTIVATED, actor=getattr(instance, "_changed_by", None))
