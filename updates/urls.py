from django.urls import path

from . import calendars, feeds, subscriptions, views

app_name = "updates"

urlpatterns = [
    path("updates/", views.all_updates, name="all_updates"),
    path("updates/feed/", feeds.SiteFeed(), name="site_feed"),
    path("programs/<slug:slug>/updates/", views.program_updates, name="program_updates"),
    path("programs/<slug:slug>/updates/feed/", feeds.ProgramFeed(), name="program_feed"),
    path("programs/<slug:slug>/updates/events.ics", calendars.program_calendar, name="program_calendar"),
    path("states/<slug:code>/updates/", views.state_updates, name="state_updates"),
    path("states/<slug:code>/updates/feed/", feeds.StateFeed(), name="state_feed"),
    # Email subscriptions: the forms, then the pages the emails' signed links lead to.
    path("programs/<slug:slug>/updates/subscribe/", subscriptions.subscribe_program, name="subscribe_program"),
    path("states/<slug:code>/updates/subscribe/", subscriptions.subscribe_state, name="subscribe_state"),
    path("updates/subscribe/check-your-email/", subscriptions.check_email, name="check_email"),
    path("updates/confirm/<str:token>/", subscriptions.confirm, name="confirm"),
    path("updates/unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path("updates/manage/<str:token>/", subscriptions.manage, name="manage"),
    # Last: an update's own address is any other word under its program's updates/ (models.RESERVED_SLUGS).
    path("programs/<slug:slug>/updates/<slug:update>/", views.update_detail, name="update_detail"),
    path("programs/<slug:slug>/updates/<slug:update>/event.ics", calendars.event_ics, name="event_ics"),
]
