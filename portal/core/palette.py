"""The portal's one colour for each award level and each OCOP star count, wherever a chart, a legend or a table
heading shows one: the same level keeps its colour from one dashboard to another, whichever levels a province
happens to have (a chart that colours its series in order would make blue "Cấp tỉnh" on one page and "Cấp huyện"
on the next).

Level colours come from the Okabe–Ito colour-blind-safe set (darkened where thin bars need contrast); the stars
run from light to dark amber, so more stars read as more. Codes are the levels' `code` (data): a level this
module does not know gets the neutral colour rather than a borrowed one."""

NEUTRAL = "#5b6572"

LEVEL_COLOURS = {
    "district": "#cc79a7",  # cấp huyện (until 30/06/2025): reddish purple
    "commune": "#e69f00",  # cấp xã (from 01/07/2025): orange
    "province": "#0072b2",  # cấp tỉnh: blue
    "region": "#009e73",  # cấp khu vực: bluish green
    "national": "#d55e00",  # cấp quốc gia: vermilion
}

STAR_COLOURS = {
    1: "#fee391",
    2: "#fec44f",
    3: "#fe9929",
    4: "#d95f0e",
    5: "#993404",
}


def level_colour(code: str | None) -> str:
    return LEVEL_COLOURS.get(code or "", NEUTRAL)


def star_colour(stars: int | None) -> str:
    return STAR_COLOURS.get(stars or 0, NEUTRAL)
