"""`manage.py shell` with every model imported, history models too.

django-simple-history gives the history model of a model defined outside `<app>/models.py`
(`programs/models/content.py`, `updates/models/update.py`) the app's package as its module
(`programs.HistoricalProgram`), while the class itself is set in the recorded model's module.
Django's shell imports each model from its `__module__`, so it listed fourteen "objects that
could not be automatically imported", a warning a county's IT person would read as something broken.
"""

from django.apps import apps
from django.core.management.commands import shell


class Command(shell.Command):
    def get_auto_imports(self):
        # Django's list (later apps first, so earlier ones win a name), each history model taken
        # from the module of the model it records (`instance_type`, set by simple-history).
        return [
            f"{getattr(model, 'instance_type', model).__module__}.{model.__name__}"
            for model in reversed(apps.get_models())
            if model.__module__
        ]
