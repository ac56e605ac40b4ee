"""`manage.py shell` imports every model, the history models of django-simple-history included."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command


def test_the_shell_imports_every_model_and_says_nothing_could_not_be(capsys):
    out = StringIO()
    names = " ".join(sorted({model.__name__ for model in apps.get_models()}))
    # Every model's name is bound in the shell, as a person typing would use it.
    call_command("shell", command=f"print(all(name in globals() for name in {names.split()!r}))", stdout=out)
    printed = capsys.readouterr().out + out.getvalue()
    assert "True" in printed
    assert "could not be automatically imported" not in printed


def test_a_history_model_is_the_one_simple_history_made(capsys):
    # `Program` is bound in the shell too: the name leads to the very class that records its history.
    call_command("shell", command="print(HistoricalProgram is Program.history.model)", verbosity=0)
    assert capsys.readouterr().out.strip().endswith("True")
