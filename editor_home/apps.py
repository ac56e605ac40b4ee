from django.apps import AppConfig


class EditorHomeConfig(AppConfig):
    default = True
    name = "editor_home"
    verbose_name = "Editor's home"
