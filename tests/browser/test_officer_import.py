"""The officer import in a real browser, as an editor meets it with the second factor on:
a file with a bad row shows what to correct in plain view (not only behind a red count
that needs a hover), and a good file shows its preview, is confirmed and lands."""

import re

import pytest

from programs.models import Officer

from .conftest import sign_in

pytestmark = pytest.mark.browser
IMPORT = "/admin/programs/officer/import/"
HEADER = "First name,Last name,Title or rank,Role,Phone,Email,School year,Schools\n"
SCHOOL = "Example High School (Jefferson County)"


# Playwright counts an element with opacity 0 as visible; django-import-export hid row errors that way.
READABLE = """el => {
  for (let node = el; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.opacity === "0" || style.visibility === "hidden" || style.display === "none") return false;
  }
  return true;
}"""


def upload(page, site, tmp_path, rows, name="officers.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows)
    page.goto(site + IMPORT)
    page.get_by_label("Agency").select_option(label="Jefferson County Sheriff's Office")
    page.get_by_label("File to import").set_input_files(str(path))
    page.get_by_label("Format").select_option(label="csv")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit").click()


def test_a_bad_row_is_shown_with_what_to_correct(page, jefferson_editor, tmp_path):
    site, device = jefferson_editor
    sign_in(page, site, device)
    upload(page, site, tmp_path, "Pat,Quillfeather,Deputy,SRO,636-555-0199,,2026-27,Nowhere Academy\n")

    assert page.get_by_role("heading", name="1 row cannot be imported").is_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2"))
    error = row.get_by_text(re.compile('No school is called “?"?Nowhere Academy'))
    assert error.is_visible() and error.evaluate(READABLE), "the reason is readable without hovering"
    assert page.get_by_role("button", name="Confirm import").count() == 0
    assert not Officer.objects.filter(last_name="Quillfeather").exists()


def test_a_good_file_is_previewed_then_confirmed(page, jefferson_editor, tmp_path):
    site, device = jefferson_editor
    sign_in(page, site, device)
    upload(page, site, tmp_path, f'Pat,Quillfeather,Deputy,SRO,636-555-0199,pat@example.org,2026-27,"{SCHOOL}"\n')

    assert page.get_by_role("button", name="Confirm import").is_visible()
    assert page.get_by_text(SCHOOL).first.is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm import").click()
    assert "Import finished" in page.locator(".messagelist").inner_text()
    officer = Officer.objects.get(last_name="Quillfeather")
    assert officer.agency.slug == "jefferson-county-sheriffs-office"
    assert list(officer.assignments.values_list("school__name", flat=True)) == [SCHOOL]
