from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EditorHomeConfig(AppConfig):
    default = True
    name = "editor_home"
    verbose_name = gettext_lazy("Editor's home")

    def ready(self):
        from programs import hooks

        from .attention import AttentionFilter

        # 'Needs attention' on the admin lists the home page links to.
        hooks.register(hooks.ADMIN_LIST_FILTERS, AttentionFilter)
