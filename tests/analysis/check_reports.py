#!/usr/bin/python3
"""Checks the analysis scripts' figures and reports against the HDF5 they were made from.

    check_reports.py compare DIR            DIR from `ripple compare --report`
    check_reports.py sweep DIR RUN.h5...    writes a small sweep index DIR/sweep.h5 in the
                                            agreed format linking the runs, makes the report
                                            and checks it
    check_reports.py real-sweep DIR         DIR from `ripple sweep --report` (Saltelli)
Exit 0 when all agree; 1 with the problems.
"""
import math
import os
import subprocess
import sys
from html.parser import HTMLParser

import h5py
import numpy as np

ANALYSIS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analysis")
sys.path.insert(0, ANALYSIS)
import ripple_analysis as ra  # noqa: E402

problems = []


class Cells(HTMLParser):
    """Collects the data-* attributes of table cells and list items, and image sources."""

    def __init__(self):
        super().__init__()
        self.cells, self.images, self.icers = {}, [], {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-key" in a:
            value = float(a["data-value"]) if "data-value" in a else float("nan")
            self.cells[(a["data-key"], a["data-config"], a["data-column"])] = value
        if tag == "img":
            self.images.append(a.get("src", ""))
        if tag == "li" and "data-icer" in a:
            self.icers[a["data-config"]] = float(a["data-icer"])


def read_html(path):
    parser = Cells()
    with open(path, encoding="utf-8") as f:
        parser.feed(f.read())
    return parser


def expect(condition, message):
    if not condition:
        problems.append(message)


def equal(a, b, what):
    if math.isnan(a) and math.isnan(b):
        return
    expect(a == b, f"{what}: report shows {a!r}, HDF5 holds {b!r}")


def figures_exist(folder, names):
    for name in names:
        for ext in ("png", "svg"):
            path = os.path.join(folder, "figures", f"{name}.{ext}")
            expect(os.path.isfile(path) and os.path.getsize(path) > 1000, f"missing figure {path}")


def self_contained(html):
    expect(html.images, "the report has no figures")
    for src in html.images:
        expect(src.startswith("data:image/png;base64,"), f"figure not embedded: {src[:60]}")


def check_compare(folder):
    subprocess.run(["/usr/bin/python3", os.path.join(ANALYSIS, "compare_report.py"), folder],
                   check=True, stdout=subprocess.DEVNULL)
    figures_exist(folder, ["timeseries", "forest", "ce_plane"])
    html = read_html(os.path.join(folder, "report.html"))
    self_contained(html)
    with h5py.File(os.path.join(folder, "compare.h5"), "r") as h5:
        names = ra.texts(h5["configurations/name"])
        t = h5["table"]
        keys = ra.texts(t["outcome"])
        for i, key in enumerate(keys):
            for k, name in enumerate(names):
                expect((key, name, "mean") in html.cells, f"report lacks the mean of {key}/{name}")
                equal(html.cells.get((key, name, "mean"), float("nan")), float(t["mean"][i, k]),
                      f"{key}/{name} mean")
                if k > 0:
                    equal(html.cells.get((key, name, "difference"), float("nan")),
                          float(t["difference"][i, k]), f"{key}/{name} difference")
        s = h5["subgroups/table"]
        for i, (label, key) in enumerate(zip(ra.texts(s["label"]), ra.texts(s["outcome"]))):
            for k in range(1, len(names)):
                equal(html.cells.get((f"{label}/{key}", names[k], "difference"), float("nan")),
                      float(s["difference"][i, k]), f"{label}/{key}/{names[k]}")
        ratio = h5["icer/ratio"][()]
        for k in range(1, len(names)):
            if math.isfinite(ratio[k]):
                equal(html.icers.get(names[k], float("nan")), float(ratio[k]), "icer")
            else:
                expect(names[k] not in html.icers, "a ratio shown where it is not meaningful")
        with open(os.path.join(folder, "report.html"), encoding="utf-8") as f:
            text = f.read()
        expect(ra.text(h5.attrs["git_commit"]) in text, "the report lacks the commit")
        expect(ra.texts(h5["configurations/name"])[0] in text, "the report lacks the scenarios")


def write_sweep(folder, runs):
    """A Saltelli-style sweep index in the agreed format: two done runs and one failed."""
    n = len(runs) + 1
    files = [os.path.relpath(r, folder) for r in runs] + [""]
    status = ["done"] * len(runs) + ["failed"]
    with h5py.File(os.path.join(folder, "sweep.h5"), "w") as h5:
        for key, value in {"sweep_file": "test.toml", "base_scenario": "fragmented.toml",
                           "master_seed": 3, "design": "saltelli", "ripple_version": "test",
                           "git_commit": "abc123"}.items():
            h5.attrs[key] = value
        d = h5.create_group("design")
        d.attrs["parameters"] = np.array(["services.cmhc.admin_share", "costs.staff_hour"],
                                         dtype=h5py.string_dtype())
        d["point"] = np.arange(n, dtype=np.int32)
        d["services.cmhc.admin_share"] = np.linspace(0.1, 0.3, n)
        d["costs.staff_hour"] = np.linspace(600.0, 800.0, n)
        d["replication"] = np.zeros(n, dtype=np.int32)
        d["seed"] = np.arange(1, n + 1, dtype=np.uint64)
        d["status"] = np.array(status, dtype=h5py.string_dtype())
        d["error"] = np.array([""] * len(runs) + ["out of memory"], dtype=h5py.string_dtype())
        d["file"] = np.array(files, dtype=h5py.string_dtype())
        o = h5.create_group("outcomes")
        r = h5.create_group("runs")
        summaries = {}
        for i, run in enumerate(runs):
            with h5py.File(run, "r") as f:
                for name in f["summary"]:
                    if name == "step":
                        continue
                    values = f["summary"][name][()]
                    summaries.setdefault(name, []).append(float(np.mean(values[1:])))
            r[f"run{i}"] = h5py.ExternalLink(files[i], "/")
        for name, values in summaries.items():
            o[name] = np.array(values + [float("nan")])
        s = h5.create_group("sobol")
        # As the index: names on the group; an outcome that did not vary has NaN indices.
        outcomes = ["recovery_index_mean", "cost", "waiting_weeks_mean"]
        parameters = ["services.cmhc.admin_share", "costs.staff_hour"]
        s.attrs["parameters"] = np.array(parameters, dtype=h5py.string_dtype())
        s.attrs["outcomes"] = np.array(outcomes, dtype=h5py.string_dtype())
        first = np.array([[0.6, 0.1], [0.2, 0.7], [np.nan, np.nan]])
        total = np.array([[0.7, 0.2], [0.25, 0.8], [np.nan, np.nan]])
        for key, value in {"first_order": first, "total": total, "first_order_low": first - 0.05,
                           "first_order_high": first + 0.05, "total_low": total - 0.05,
                           "total_high": total + 0.05}.items():
            s[key] = value


def check_sweep(folder, runs):
    write_sweep(folder, runs)
    subprocess.run(["/usr/bin/python3", os.path.join(ANALYSIS, "sweep_report.py"), folder],
                   check=True, stdout=subprocess.DEVNULL)
    figures_exist(folder, ["timeseries", "outcomes_vs_parameters", "sobol"])
    html = read_html(os.path.join(folder, "report.html"))
    self_contained(html)
    with h5py.File(os.path.join(folder, "sweep.h5"), "r") as h5:
        for name in ("recovery_index_mean", "cost", "employed"):
            done = h5["outcomes"][name][()][:len(runs)]
            equal(html.cells.get((name, "all", "mean"), float("nan")), float(np.mean(done)),
                  f"sweep mean of {name}")
            equal(html.cells.get((name, "all", "max"), float("nan")), float(np.max(done)),
                  f"sweep max of {name}")
        s = h5["sobol"]
        equal(html.cells.get(("cost/costs.staff_hour", "sobol", "total"), float("nan")),
              float(s["total"][1, 1]), "Sobol total index")
    with open(os.path.join(folder, "report.html"), encoding="utf-8") as f:
        text = f.read()
    expect("out of memory" in text, "the failed run's error is not reported")
    expect("costs.staff_hour matters most" in text, "the plain-words summary misses the Sobol lead")
    expect("varied services.cmhc.admin_share, costs.staff_hour over" in text,
           "the summary does not name exactly the swept parameters")
    expect("No indices for waiting_weeks_mean" in text,
           "the outcome without variance is not named as such")
    sobol_figure_fits(folder)


def sobol_figure_fits(folder):
    """The Sobol figure stays a readable size however many outcomes the index holds."""
    height, width = ra.plt.imread(os.path.join(folder, "figures", "sobol.png")).shape[:2]
    expect(height <= 2200 and width <= 2200, f"the Sobol figure is {width}x{height} px")


def check_real_sweep(folder):
    """A report on the folder of a real `ripple sweep --report` run (Saltelli design)."""
    figures_exist(folder, ["timeseries", "outcomes_vs_parameters", "sobol"])
    html = read_html(os.path.join(folder, "report.html"))
    self_contained(html)
    with open(os.path.join(folder, "report.html"), encoding="utf-8") as f:
        text = f.read()
    with h5py.File(os.path.join(folder, "sweep.h5"), "r") as h5:
        parameters = [ra.text(v) for v in h5["design"].attrs["parameters"]]
        total = h5["sobol/total"][()]
        outcomes = [ra.text(v) for v in h5["sobol"].attrs["outcomes"]]
    expect(f"varied {', '.join(parameters)} over" in text,
           "the summary does not name exactly the swept parameters")
    for o, name in enumerate(outcomes):
        if np.isfinite(total[o]).any():
            equal(html.cells.get((f"{name}/{parameters[0]}", "sobol", "total"), float("nan")),
                  float(total[o, 0]), f"Sobol total index of {name}")
    sobol_figure_fits(folder)


if __name__ == "__main__":
    if sys.argv[1] == "compare":
        check_compare(sys.argv[2])
    elif sys.argv[1] == "real-sweep":
        check_real_sweep(sys.argv[2])
    else:
        check_sweep(sys.argv[2], sys.argv[3:])
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("figures and report agree with the HDF5")
