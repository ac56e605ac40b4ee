"""The shape of the code: dependencies point one way.

`programs/` is the domain; the capability apps are built on it, and the project
(`sro_site/`) composes them. The domain imports none of the apps built on it (an
app that imports `programs`), in its Python or its templates; where one adds to
a domain page or admin, it registers into programs/hooks.py. The plumbing (the
page cache, rate limits, health, metrics, languages) knows nothing of the domain.
"""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = {"tests", "bench", "node_modules", "static", "templates", "locale", "docs", "deploy"}
DOMAIN = "programs"
PLUMBING = ("page_cache", "shared_cache", "site_ops", "languages")
# The domain's templates: its own folder and the shared includes its pages use.
DOMAIN_TEMPLATES = [ROOT / "templates" / "programs", ROOT / "templates" / "includes"]


def packages(root=ROOT):
    return sorted(
        path.parent.name
        for path in root.glob("*/__init__.py")
        if path.parent.name not in NOT_APPS and not path.parent.name.startswith(".")
    )


@cache
def imports_of(package, root=ROOT):
    """The first-party packages `package` imports (anywhere in its code, at module level or inside functions)."""
    ours = set(packages(root))
    found = {}
    for path in (root / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in ours and top != package:
                    found.setdefault(top, []).append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def built_on_the_domain(root=ROOT):
    """The apps (and the project) that import the domain."""
    return {package for package in packages(root) if DOMAIN in imports_of(package, root)}


def wrong_imports(package, root=ROOT):
    return {app: where for app, where in imports_of(package, root).items() if app in built_on_the_domain(root)}


def test_the_layout_is_what_this_test_knows():
    assert DOMAIN in packages()
    assert {"sro_site", *PLUMBING} <= set(packages())
    assert {"agreements", "training", "accounts", "editor_home"} <= built_on_the_domain()


def test_the_domain_imports_no_app_built_on_it():
    wrong = wrong_imports(DOMAIN)
    assert not wrong, f"programs/ imports apps that import programs (register into programs/hooks.py instead): {wrong}"


TEMPLATE_REFERENCE = re.compile(r"""(?:include|extends)\s+["'](\w+)/|\{%\s*url\s+["'](\w+):""")


def test_the_domain_templates_use_no_app_built_on_it():
    built_on = built_on_the_domain()
    wrong = []
    for folder in DOMAIN_TEMPLATES:
        for path in folder.rglob("*.html"):
            for match in TEMPLATE_REFERENCE.finditer(path.read_text()):
                app = match.group(1) or match.group(2)
                if app in built_on:
                    wrong.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not wrong, f"domain templates reach into apps built on them (use {{% extensions %}}): {wrong}"


@pytest.mark.parametrize("package", PLUMBING)
def test_plumbing_knows_nothing_of_the_domain(package):
    wrong = {app: where for app, where in imports_of(package).items() if app == DOMAIN or app in built_on_the_domain()}
    assert not wrong, f"{package}/ imports the domain or an app built on it: {wrong}"


def test_an_import_back_into_the_domain_is_caught_even_inside_a_function(tmp_path):
    """The check itself, on a tree of its own: the domain reaching up into an app built on it."""
    for package, source in {
        "programs": "from django.db import models\n\n\ndef page():\n    from agreements.page import parts\n",
        "agreements": "from programs.models import Program\n",
        "languages": "import django\n",
    }.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
        (tmp_path / package / "page.py").write_text(source)
    assert wrong_imports(DOMAIN, tmp_path) == {"agreements": ["programs/page.py:5"]}
    assert wrong_imports("languages", tmp_path) == {}
