"""`manage.py shell` with every model imported, history models too.

django-simple-history gives the history model of a model defined outside `<app>/models.py`
(`programs/models/content.py`, `updates/models/update.py`) the app's package as its module
(`programs.HistoricalProgram`), while the class itself is set in the model's own module. Django's
shell imports each model from its `__module__`, so it listed fourteen "objects that could not be
automatically imported", a warning a county's IT person would read as something broken.
"""

from django.apps import apps
from django.core.management.commands import shell
from django.utils.module_loading import import_string


class Command(shell.Command):
    def get_auto_imports(self):
        paths = []
        for path in super().get_auto_imports():
            try:
                import_string(path)
            except ImportError:
                path = self.history_model_path(path) or path
            paths.append(path)
        return paths

    @staticmethod
    def history_model_path(path):
        """Where a history model is really defined: beside the model it records, or None."""
        module, name = path.rsplit(".", 1)
        for model in apps.get_models():
            tracked = getattr(model, "instance_type", None)  # set by simple-history on history models
            if model.__name__ == name and model.__module__ == module and tracked is not None:
                return f"{tracked.__module__}.{name}"
        return None
