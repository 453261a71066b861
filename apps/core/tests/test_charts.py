"""The SVG charts: mirrored in Arabic, escaped, honest about empty data and extremes."""

from __future__ import annotations

import datetime
import re

from apps.core.charts import Bar, Point, bar_chart, line_chart, shape_arabic, visual_text


def bars(*values: float, label: str = "Limité") -> list[Bar]:
    return [Bar(f"{label} {i}", v, "limited") for i, v in enumerate(values)]


def levels(rtl: bool, items: list[Bar], visual: bool = False):
    return bar_chart(
        "levels",
        "Engagements par niveau",
        items,
        rtl=rtl,
        visual=visual,
        category="Niveau",
        value_header="Engagements",
        empty_message="Aucun engagement.",
    )


def over_time(rtl: bool, points: list[Point]):
    return line_chart(
        "time",
        "Avancement",
        points,
        rtl=rtl,
        date_header="Date",
        kind_header="Source",
        value_header="Avancement",
        kind_labels={"update": "Mises à jour", "meeting": "Réunion"},
        empty_message="Rien encore.",
    )


def rect_x(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<rect x="([\d.]+)"', svg)]


def test_it_mirrors_bars_in_arabic():
    ltr = levels(False, bars(3, 1))
    rtl = levels(True, bars(3, 1))
    # Left to right, bars start at the axis on the left; right to left they end at the
    # axis on the right: x + width of each Arabic bar = 600 - x of the French one.
    widths = [
        float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', rtl.svg)
    ]
    for x_ltr, x_rtl, w in zip(rect_x(ltr.svg), rect_x(rtl.svg), widths, strict=True):
        assert abs((x_rtl + w) - (600 - x_ltr)) < 0.2
    assert 'direction="rtl"' in rtl.svg and 'direction="ltr"' in ltr.svg


def test_it_runs_time_from_right_to_left_in_arabic():
    day = datetime.date(2025, 1, 1)
    points = [Point(day, 10), Point(day + datetime.timedelta(days=30), 60)]
    ltr = re.findall(r'cx="([\d.]+)"', over_time(False, points).svg)
    rtl = re.findall(r'cx="([\d.]+)"', over_time(True, points).svg)
    assert float(ltr[0]) < float(ltr[1])  # earlier on the left in French
    assert float(rtl[0]) > float(rtl[1])  # earlier on the right in Arabic


def test_it_escapes_a_hostile_label():
    chart = levels(False, [Bar("<script>alert(1)</script>", 2)])
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    assert chart.rows[0][0] == "<script>alert(1)</script>"  # the template escapes it


def test_it_says_so_when_there_is_no_data():
    empty_bars = levels(True, bars(0, 0))
    empty_line = over_time(True, [])
    assert empty_bars.empty and "Aucun engagement." in empty_bars.svg and not empty_bars.rows
    assert empty_line.empty and "Rien encore." in empty_line.svg


def test_it_draws_0_and_100_percent_inside_the_frame():
    day = datetime.date(2025, 1, 1)
    chart = over_time(False, [Point(day, 0), Point(day + datetime.timedelta(days=1), 100)])
    ys = [float(y) for y in re.findall(r'cy="([\d.]+)"', chart.svg)]
    assert ys[0] > ys[1]  # 100 % is higher on the page
    assert min(ys) > 0 and max(ys) < 220
    assert [row[2] for row in chart.rows] == ["0%", "100%"]
    one = levels(False, [Bar("Achevé", 4, "complete"), Bar("Non commencé", 0, "not_started")])
    assert [row[2] for row in one.rows] == ["100%", "0%"]


def test_it_is_an_image_with_a_title_and_a_description():
    chart = levels(False, bars(2, 5))
    assert 'role="img"' in chart.svg
    assert '<title id="chart-levels-title">Engagements par niveau</title>' in chart.svg
    assert 'aria-labelledby="chart-levels-title chart-levels-desc"' in chart.svg
    assert "style=" not in chart.svg


def test_it_shapes_arabic_for_the_pdf():
    # WeasyPrint draws SVG text letter by letter: the PDF gets presentation forms in
    # visual order. "محدود": meem initial, hah medial, dal final, waw isolated, dal isolated.
    assert shape_arabic("محدود") == "\ufee3\ufea4\ufeaa\ufeed\ufea9"
    assert visual_text("محدود") == "\ufea9\ufeed\ufeaa\ufea4\ufee3"
    assert visual_text("لا 12") == "12 \ufefb"  # lam-alef ligature; the number kept
    chart = levels(True, [Bar("محدود", 2)], visual=True)
    assert "\ufee3" in chart.svg and 'direction="ltr"' in chart.svg
