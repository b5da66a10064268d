"""The server-side SVG charts: accessible markup, bars in proportion, links on the bars, escaped text."""

import re

from portal.dashboards import charts


def rects(svg):
    """(height, title) of each bar (the legend's swatches have no title)."""
    return [
        (float(h), t)
        for h, t in re.findall(
            r'<rect class="series-\d+" x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"[^>]*><title>([^<]*)</title>',
            svg,
        )
    ]


def test_a_bar_chart_is_an_accessible_svg_with_bars_in_proportion():
    svg = str(
        charts.bar_chart(title="Sản phẩm theo hạng sao", categories=["3★", "4★"], values=[88, 9], y_label="sản phẩm")
    )
    assert svg.startswith('<svg class="chart" role="img" aria-label="Sản phẩm theo hạng sao"')
    assert "<title id=" in svg
    assert "<desc id=" in svg
    assert "3★: 88" in svg
    bars = rects(svg)
    assert [title for _h, title in bars] == ["3★: 88", "4★: 9"]
    assert abs(bars[0][0] / bars[1][0] - 88 / 9) < 0.05
    assert ">sản phẩm</text>" in svg


def test_bars_link_to_their_records_and_text_is_escaped():
    svg = str(
        charts.bar_chart(
            title='<script>"x"</script>', categories=["A&B"], values=[3], links=["/staff/ocop/?stars=3&province=2"]
        )
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert '<a href="/staff/ocop/?stars=3&amp;province=2" aria-label="A&amp;B: 3"><rect' in svg
    assert "A&amp;B" in svg


def test_stacked_bars_add_up_and_have_a_legend():
    svg = str(
        charts.stacked_bar_chart(
            title="Công nhận",
            categories=["2019", "2020"],
            series=[charts.Series("Cấp tỉnh", [10, 0]), charts.Series("Cấp khu vực", [5, 2])],
        )
    )
    bars = rects(svg)
    assert [t for _h, t in bars] == ["2019 – Cấp tỉnh: 10", "2019 – Cấp khu vực: 5", "2020 – Cấp khu vực: 2"]
    assert abs(bars[0][0] / bars[1][0] - 2) < 0.05
    assert 'class="chart-legend"' in svg
    assert ">Cấp khu vực</text>" in svg
    assert "2019: 15 (Cấp tỉnh 10, Cấp khu vực 5)" in svg  # the description a screen reader reads


def test_grouped_bars_sit_side_by_side():
    svg = str(
        charts.grouped_bar_chart(
            title="Chỉ tiêu",
            categories=["2025: ≥ 3★"],
            series=[charts.Series("Chỉ tiêu", [150]), charts.Series("Thực hiện", [97])],
        )
    )
    xs = [
        float(x)
        for x in re.findall(
            r'<rect class="series-\d" x="([^"]+)" y="[^"]+" width="[^"]+" height="[^"]+" fill="[^"]+"><title>', svg
        )
    ]
    assert len(xs) == 2
    assert xs[0] < xs[1]


def test_an_empty_chart_says_so():
    svg = str(charts.bar_chart(title="Hội chợ", categories=[], values=[], empty="Không có hội chợ"))
    assert "Không có hội chợ" in svg
    assert "<rect" not in svg


def test_ticks_are_round_and_amounts_use_dots():
    assert charts.nice_ticks(13) == [0, 5, 10, 15]
    assert charts.nice_ticks(1) == [0, 1]
    assert charts.nice_ticks(12_310) == [0, 5000, 10000, 15000]
    assert charts.group_digits(12_310_000_000) == "12.310.000.000"
    assert charts.group_digits(32.1) == "32,1"
    svg = str(charts.bar_chart(title="Kinh phí", categories=["2022"], values=[1075]))
    assert ">1.000</text>" in svg


def test_long_labels_are_turned_and_cut():
    svg = str(
        charts.bar_chart(
            title="Nhóm",
            categories=["2. Chế biến nông, lâm, thủy sản và thực phẩm", "1. Thủ công mỹ nghệ", "3", "4", "5", "6"],
            values=[1, 2, 3, 4, 5, 6],
        )
    )
    assert 'transform="rotate(-40' in svg
    assert "2. Chế biến nôn…" in svg


def fills(svg):
    """({bar title: fill colour}, [the legend's swatch colours in order])."""
    bars = re.findall(r'<rect class="series-\d+" [^>]*fill="([^"]+)"><title>([^<]*)</title>', svg)
    legend = re.findall(r'<rect class="series-\d+" [^>]*height="12" fill="([^"]+)"/>', svg)
    return {title: fill for fill, title in bars}, legend


def test_a_series_of_its_own_colour_keeps_it_whatever_its_place():
    svg = str(
        charts.stacked_bar_chart(
            title="Công nhận",
            categories=["2019"],
            series=[charts.Series("Cấp tỉnh", [10], colour="#0072b2"), charts.Series("Tổng hợp", [5])],
        )
    )
    bars, legend = fills(svg)
    assert bars["2019 – Cấp tỉnh: 10"] == "#0072b2"
    assert bars["2019 – Tổng hợp: 5"] == charts.PALETTE[1]  # no colour of its own: the palette in order
    assert legend == ["#0072b2", charts.PALETTE[1]]


def test_a_one_series_chart_may_colour_each_bar():
    svg = str(charts.bar_chart(title="Sao", categories=["3★", "4★"], values=[8, 2], colours=["#fe9929", "#d95f0e"]))
    assert fills(svg)[0] == {"3★: 8": "#fe9929", "4★: 2": "#d95f0e"}


def test_a_chart_whose_bars_are_links_is_a_group_of_named_links():
    """An image's children are hidden from assistive technology: bars that link to their records make the chart a
    group, each link named by its bar (axe: nested-interactive)."""
    svg = str(
        charts.bar_chart(
            title="Sản phẩm theo hạng sao",
            categories=["3★", "4★"],
            values=[88, 9],
            y_label="sản phẩm",
            links=["/a/", "/b/"],
        )
    )
    assert svg.startswith('<svg class="chart" role="group" aria-label="Sản phẩm theo hạng sao"')
    assert '<a href="/a/" aria-label="3★: 88">' in svg
