"""Bar charts drawn on the server as SVG: no JavaScript, no web fonts, no styles.

Each bar is a labelled row: the label on its own line, then the bar and its
figure as text, so long names never collide and a count that is not shown
("fewer than 10", "not collected") is written where its bar would be. The
colours are SVG attributes, not CSS, so a chart reads the same with styles
off; the page puts a title, a text summary and a table of the same numbers
with every chart (templates/program_data/includes/bar_chart.html).
"""

WIDTH = 400
ROW_HEIGHT = 52
BAR_HEIGHT = 20
LABEL_BASELINE = 17
BAR_TOP = 24
FIGURE_SPACE = 115  # room right of the longest bar for its figure, e.g. "fewer than 10"
BAR_COLOR = "#005ea2"  # USWDS primary: 7:1 against white
TEXT_COLOR = "#1b1b1b"
AXIS_COLOR = "#565c65"


def bar_chart(chart_id, title, summary, bars):
    """`bars`: [(label, value or None, figure as text)]; a None value is drawn as its text alone."""
    values = [value for _label, value, _text in bars if value]
    longest = max(values, default=0)
    rows = []
    for index, (label, value, text) in enumerate(bars):
        top = index * ROW_HEIGHT
        width = 0
        if value and longest:
            width = max(2, round(value / longest * (WIDTH - FIGURE_SPACE), 1))
        rows.append(
            {
                "label": label,
                "label_y": top + LABEL_BASELINE,
                "bar_y": top + BAR_TOP,
                "width": width,
                "text": text,
                "text_x": width + 8 if width else 8,
                "text_y": top + BAR_TOP + 15,
            }
        )
    return {
        "id": chart_id,
        "title": title,
        "summary": summary,
        "rows": rows,
        "width": WIDTH,
        "height": max(1, len(bars)) * ROW_HEIGHT + 4,
        "bar_height": BAR_HEIGHT,
        "bar_color": BAR_COLOR,
        "text_color": TEXT_COLOR,
        "axis_color": AXIS_COLOR,
    }
