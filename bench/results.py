"""What the bench scripts share: nearest-rank percentiles, the figure record, the printed table, and the one
bench/results.json they all write to.

results.json is {"figures": {name: {"value", "unit", "floor", "ratio"[, "target", "ok"]}}, "details": {section:
{...}}, "sections": {section: [figure names]}}. Each script writes its own section: its figures replace the ones
it wrote last time (a figure it no longer produces disappears) and the other scripts' figures stay, so
`make bench` can run them one after the other and a single script can be re-run on its own.
"""

import json
import math
import os
import time
from pathlib import Path


def percentile(samples, pct):
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def figure(value, unit, floor=None, target=None, ok=None):
    ratio = round(value / floor, 2) if floor else None
    entry = {
        "value": round(value, 2),
        "unit": unit,
        "floor": None if floor is None else round(floor, 2),
        "ratio": ratio,
    }
    if target is not None:
        entry["target"] = target
        entry["ok"] = ok
    return entry


def write_results(path: Path, section: str, figures: dict, details: dict) -> None:
    """Merge one script's figures and details into `path` (created when missing or unreadable)."""
    try:
        data = json.loads(path.read_text())
        old_figures, sections = data["figures"], data.get("sections", {})
        old_details = data.get("details", {})
    except (OSError, ValueError, KeyError, TypeError):
        old_figures, sections, old_details = {}, {}, {}
    if not isinstance(sections, dict) or not all(isinstance(v, list) for v in sections.values()):
        sections = {}
    sections[section] = list(figures)
    sections = dict(sorted(sections.items()))  # the same order whichever script ran last
    # Figures section by section; anything no section owns was written by an older layout of this file and
    # is dropped.
    by_name = {**old_figures, **figures}
    merged = {name: by_name[name] for names in sections.values() for name in names if name in by_name}
    old_details = old_details if isinstance(old_details, dict) else {}
    details_out = {k: details if k == section else old_details[k] for k in sections if k in old_details or k == section}
    path.write_text(
        json.dumps({"figures": merged, "details": details_out, "sections": sections}, ensure_ascii=False, indent=2)
        + "\n"
    )


def print_table(figures, width=44):
    print(f"\n{'figure':<{width}} {'value':>9} {'unit':<16} {'floor':>9} {'ratio':>6}  target")
    print("-" * (width + 66))
    for name, f in figures.items():
        floor = "" if f["floor"] is None else f"{f['floor']:g}"
        ratio = "" if f["ratio"] is None else f"{f['ratio']:.2f}"
        target = f.get("target") or ""
        if target:
            target += "  " + ("ok" if f["ok"] else "MISSED")
        print(f"{name:<{width}} {f['value']:>9g} {f['unit']:<16} {floor:>9} {ratio:>6}  {target}")


N = int(os.environ.get("BENCH_N", "50"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))


def get(client, url):
    """One timed GET (ms) through the Django test client; anything but 200 stops the bench."""
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed, response


def compare(client, page_url, floor_url, n=N, warmup=WARMUP):
    """Page and floor timings, interleaved so that machine noise hits both alike."""
    for _ in range(warmup):
        get(client, page_url)
        get(client, floor_url)
    page, floor = [], []
    for _ in range(n):
        page.append(get(client, page_url)[0])
        floor.append(get(client, floor_url)[0])
    return page, floor
