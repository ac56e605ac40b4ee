"""Where a phone puts the page's heading and the language link: the measure the per-page check
(test_accessibility.py) and the header's own tests (test_phone_header.py) both read."""

HEADING_WITHIN = 200  # px from the top of the page: the heading starts on the first screen

# Where the heading and the language link are, and the content's edges (inside main's padding).
MEASURE = """() => {
  const main = document.querySelector("main");
  const style = getComputedStyle(main);
  const box = main.getBoundingClientRect();
  const language = document.querySelector(".site-language a");
  const place = language && language.getBoundingClientRect();
  return {
    heading: document.querySelector("h1").getBoundingClientRect().top + scrollY,
    contentLeft: box.left + parseFloat(style.paddingLeft),
    contentRight: box.right - parseFloat(style.paddingRight),
    language: place && {left: place.left, right: place.right, top: place.top + scrollY},
  };
}"""


def header_problems(page):
    """What is out of place in a phone's header, as {problem: measured}; empty when all is well.

    The heading within HEADING_WITHIN px of the top; the language link on the "Menu" row,
    inside the content's margins, its right edge on the content's, above the heading."""
    found = page.evaluate(MEASURE)
    problems = {}
    if found["heading"] > HEADING_WITHIN:
        problems["heading too low"] = round(found["heading"])
    language = found["language"]
    if not (
        language
        and language["left"] >= found["contentLeft"]
        and abs(language["right"] - found["contentRight"]) < 1
        and language["top"] < found["heading"]
    ):
        problems["language link misplaced"] = (language, found["contentLeft"], found["contentRight"])
    return problems
