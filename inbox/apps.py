from django.apps import AppConfig


class InboxConfig(AppConfig):
    default = True
    name = "inbox"
    verbose_name = "Requests from the public"

    def ready(self):
        from editor_home import sections
        from programs import invalidation

        # A staff-only record: no public page shows what the public sent.
        invalidation.not_on_public_pages("inbox.submission")
        # In the admin beside the complaints, where editors have always found it.
        sections.place("inbox.submission", "Requests from the public")
