"""The keyboard checks on the Spanish pages: the skip link, the language link, and the school search."""

import pytest

from .test_keyboard import tab_to

pytestmark = pytest.mark.browser


def test_skip_link_is_first_in_spanish_and_the_language_link_is_reachable(page, demo_site):
    page.goto(demo_site + "/es/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Saltar al contenido principal"
    tab_to(page, "a[hreflang=en]")
    assert page.evaluate("document.activeElement.getAttribute('lang')") == "en"
    page.keyboard.press("Enter")
    page.wait_for_url(demo_site + "/")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_school_search_in_spanish_with_keyboard_only(page, demo_site):
    page.goto(demo_site + "/es/schools/")
    tab_to(page, "#id_q")
    page.keyboard.type("Example Middle")
    tab_to(page, "button[type=submit]")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Buscar escuelas"
    page.keyboard.press("Space")
    page.wait_for_url("**/es/schools/?q=Example+Middle*")
    assert "Jordan Example" in page.content()
    assert "escuela encontrada" in page.content() or "escuelas encontradas" in page.content()
