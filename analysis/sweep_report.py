#!/usr/bin/python3
"""Figures and an HTML report of a parameter sweep made by `ripple sweep`.

    analysis/sweep_report.py DIR

Reads the sweep index DIR/sweep.h5 (docs/SWEEPS.md) and the run files it links to,
and writes, in DIR/figures/, PNG and SVG of the outcomes over time (mean over the
finished runs with the band holding the middle 95% of them), each outcome against each
swept parameter, and the Sobol indices as bars when the design is Saltelli's; then
DIR/report.html with the figures embedded, the tables, a plain-words summary and how
the sweep was made. Needs python3-h5py, python3-numpy, python3-matplotlib.
"""
import argparse
import math
import os

import h5py
import numpy as np

import ripple_analysis as ra

SCRIPT = "sweep_report"
SCATTER_OUTCOMES = ["recovery_index_mean", "employed", "admissions", "cost"]


def read(folder):
    path = os.path.join(folder, "sweep.h5")
    try:
        d = read_index(path)
    except (OSError, KeyError, ValueError) as e:
        # Opens but is cut short, or lacks a part: not a bug of this script.
        ra.fail(SCRIPT, f"{path}: not a complete sweep index ({e}); run `ripple sweep-merge "
                        f"{folder}` to write it again")
    d["series"], d["steps"] = read_series(folder, d)
    return d


def read_index(path):
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        ra.fail(SCRIPT, f"{path}: not a readable sweep index ({e}); run `ripple sweep` first")
    with f:
        if "design" not in f or "outcomes" not in f:
            ra.fail(SCRIPT, f"{path}: has no /design or /outcomes; is it a sweep index?")
        design = f["design"]
        # The swept parameters are those the index lists (docs/OUTPUT.md); /design also
        # holds per-run columns such as point and seed, which were not varied.
        d = {
            "attrs": {k: (ra.text(v) if isinstance(v, (bytes, str)) else v)
                      for k, v in f.attrs.items()},
            "parameters": [ra.text(v) for v in design.attrs["parameters"]],
            "status": ra.texts(design["status"]),
            "error": ra.texts(design["error"]) if "error" in design else [],
            "files": ra.texts(design["file"]) if "file" in design else [],
            "outcomes": {k: f["outcomes"][k][()] for k in f["outcomes"]},
        }
        d["design"] = {k: design[k][()] for k in d["parameters"]}
        d["seed"] = design["seed"][()] if "seed" in design else None
        d["replication"] = design["replication"][()] if "replication" in design else None
        if "sobol" in f:
            s = f["sobol"]
            d["sobol"] = {k: s[k][()] for k in s}
            d["sobol_parameters"] = [ra.text(v) for v in s.attrs["parameters"]]
            d["sobol_outcomes"] = [ra.text(v) for v in s.attrs["outcomes"]]
    return d


def read_series(folder, d):
    """The /summary series of every finished run, [1, run, step] per variable."""
    collected = {name: [] for name in ra.SERIES}
    steps = None
    units = {}
    for status, rel in zip(d["status"], d["files"]):
        if status != "done" or not rel:
            continue
        try:
            with h5py.File(os.path.join(folder, rel), "r") as run:
                summary = run["summary"]
                if steps is None:
                    steps = summary["step"][()]
                for name in ra.SERIES:
                    if name in summary and len(summary[name]) == len(steps):
                        collected[name].append(summary[name][()])
                        units[name] = ra.text(summary[name].attrs.get("units", ""))
        except (OSError, KeyError) as e:
            print(f"{SCRIPT}: {rel}: skipped, not a readable run file ({e})")
    series = {name: (np.array(values)[np.newaxis], name, units.get(name, ""))
              for name, values in collected.items() if values}
    return series, steps


def percentile_band_figure(steps, series, names):
    columns = 3
    rows = max(1, (len(names) + columns - 1) // columns)
    fig, axes = ra.plt.subplots(rows, columns, figsize=(15, 3.1 * rows), sharex=True,
                                squeeze=False)
    for ax, name in zip(axes.flat, names):
        values, _, unit = series[name]
        runs = ra.smooth(values[0], 4) if unit.endswith("/week") else values[0]
        ax.plot(steps, runs.mean(axis=0), linewidth=1.3, label="mean of the runs")
        ax.fill_between(steps, np.percentile(runs, 2.5, axis=0), np.percentile(runs, 97.5, axis=0),
                        alpha=0.3, label="middle 95% of the runs")
        ax.set_title(name + (" (4-week mean)" if unit.endswith("/week") else ""), fontsize=9)
        ax.set_ylabel(unit, fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("Outcomes over time across the sweep's finished runs", fontsize=11)
    fig.tight_layout()
    return fig


def scatter_figure(d, outcomes):
    params = d["parameters"]
    done = np.array([s == "done" for s in d["status"]])
    fig, axes = ra.plt.subplots(len(outcomes), len(params),
                                figsize=(3.2 * len(params) + 1, 2.6 * len(outcomes)),
                                squeeze=False)
    for i, outcome in enumerate(outcomes):
        for j, param in enumerate(params):
            ax = axes[i, j]
            ax.plot(d["design"][param][done], d["outcomes"][outcome][done], ".", alpha=0.6)
            if i == len(outcomes) - 1:
                ax.set_xlabel(param, fontsize=8)
            if j == 0:
                ax.set_ylabel(outcome, fontsize=8)
            ax.tick_params(labelsize=7)
    fig.suptitle("Each outcome (mean per week of a run) against each swept parameter", fontsize=11)
    fig.tight_layout()
    return fig


def outcome_table(d):
    done = np.array([s == "done" for s in d["status"]])
    rows = ["<table><tr><th>Outcome (mean per week of a run)</th><th>Runs</th><th>Mean</th>"
            "<th>Lowest</th><th>Highest</th><th>Standard deviation</th></tr>"]
    for name, values in d["outcomes"].items():
        v = values[done & np.isfinite(values)]
        if len(v) == 0:
            continue
        sd = float(v.std(ddof=1)) if len(v) > 1 else float("nan")
        rows.append(f"<tr><td>{ra.esc(name)}</td><td class=\"num\">{len(v)}</td>"
                    + ra.cell(float(v.mean()), name, "all", "mean")
                    + ra.cell(float(v.min()), name, "all", "min")
                    + ra.cell(float(v.max()), name, "all", "max")
                    + ra.cell(sd, name, "all", "sd") + "</tr>")
    return "\n".join(rows) + "</table>"


def sobol_varied(d):
    """Indices of the outcomes with Sobol indices: an outcome that did not vary over the
    sweep (no one waited, say) has none, its indices are NaN."""
    total = d["sobol"]["total"]
    return [o for o in range(len(d["sobol_outcomes"])) if np.isfinite(total[o]).any()]


def sobol_table(d):
    s = d["sobol"]
    rows = ["<table><tr><th>Outcome</th><th>Parameter</th><th>First order</th>"
            "<th>95% interval</th><th>Total</th><th>95% interval</th></tr>"]

    def interval(key, o, p):
        if key + "_low" not in s or key + "_high" not in s:
            return "<td></td>"
        return (f'<td class="num">{ra.show(float(s[key + "_low"][o, p]))} to '
                f'{ra.show(float(s[key + "_high"][o, p]))}</td>')

    for o in sobol_varied(d):
        outcome = d["sobol_outcomes"][o]
        for p, param in enumerate(d["sobol_parameters"]):
            rows.append(f"<tr><td>{ra.esc(outcome)}</td><td>{ra.esc(param)}</td>"
                        + ra.cell(s["first_order"][o, p], f"{outcome}/{param}", "sobol", "first")
                        + interval("first_order", o, p)
                        + ra.cell(s["total"][o, p], f"{outcome}/{param}", "sobol", "total")
                        + interval("total", o, p) + "</tr>")
    return "\n".join(rows) + "</table>"


def plain_words(d):
    done = sum(1 for s in d["status"] if s == "done")
    failed = sum(1 for s in d["status"] if s == "failed")
    words = (f"This sweep varied {', '.join(d['parameters']) or 'nothing'} over {len(d['status'])} "
             f"runs ({d['attrs'].get('design', '?')} design); {done} finished"
             + (f", {failed} failed" if failed else "") + ".")
    if "sobol" in d:
        s = d["sobol"]
        shown = [o for o in sobol_varied(d) if d["sobol_outcomes"][o] in SCATTER_OUTCOMES]
        for o in shown:
            outcome = d["sobol_outcomes"][o]
            p = int(np.nanargmax(s["total"][o]))
            words += (f" For {outcome}, {d['sobol_parameters'][p]} matters most (total Sobol index "
                      f"{ra.show(float(s['total'][o, p]))}).")
    return words


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", help="output folder of `ripple sweep` (holds sweep.h5)")
    args = parser.parse_args()
    d = read(args.dir)
    figures = os.path.join(args.dir, "figures")
    parts = []
    if d["series"]:
        names = [n for n in ra.SERIES if n in d["series"]]
        png = ra.save_figure(percentile_band_figure(d["steps"], d["series"], names), figures,
                             "timeseries")
        parts.append(ra.figure_html(png, "Outcomes over time across the finished runs"))
    outcomes = [o for o in SCATTER_OUTCOMES if o in d["outcomes"]]
    if d["parameters"] and outcomes:
        png = ra.save_figure(scatter_figure(d, outcomes), figures, "outcomes_vs_parameters")
        parts.append(ra.figure_html(png, "Outcomes against the swept parameters"))
    sobol_html = ""
    if "sobol" in d:
        s = d["sobol"]
        varied = sobol_varied(d)
        still = [d["sobol_outcomes"][o] for o in range(len(d["sobol_outcomes"]))
                 if o not in varied]
        note = (f"<p>No indices for {ra.esc(', '.join(still))}: these outcomes did not vary "
                "over the sweep.</p>") if still else ""
        figure = ""
        if varied:
            png = ra.save_figure(ra.sobol_figure(d["sobol_parameters"],
                                                 [d["sobol_outcomes"][o] for o in varied],
                                                 s["first_order"][varied], s["total"][varied]),
                                 figures, "sobol")
            figure = ra.figure_html(png, "Sobol indices: first order and total (the table "
                                    "gives their 95% intervals)")
        sobol_html = "<h2>Sensitivity (Sobol indices)</h2>" + note + figure + sobol_table(d)
    failures = [(i, e) for i, (st, e) in enumerate(zip(d["status"], d["error"] or [""] * len(d["status"])))
                if st == "failed"]
    failed_html = ("<h2>Failed runs</h2><ul>" + "".join(
        f"<li>run {i}: {ra.esc(e)}</li>" for i, e in failures) + "</ul>") if failures else ""
    a = d["attrs"]
    body = f"""
<h2>In plain words</h2>
<p class="summary">{ra.esc(plain_words(d))}</p>
<p>Each outcome of a run is its mean per week over weeks 1 to the end. Ripple is a thinking tool
built on qualitative research, not a clinical predictor.</p>
<h2>Outcomes across the runs</h2>
{outcome_table(d)}
{sobol_html}
<h2>Figures</h2>
{''.join(parts)}
{failed_html}
<h2>Provenance</h2>
<table>
<tr><td>Sweep file</td><td>{ra.esc(a.get('sweep_file', '?'))}</td></tr>
<tr><td>Base scenario</td><td>{ra.esc(a.get('base_scenario', '?'))}</td></tr>
<tr><td>Design</td><td>{ra.esc(a.get('design', '?'))}</td></tr>
<tr><td>Master seed</td><td>{ra.esc(a.get('master_seed', '?'))}</td></tr>
<tr><td>Ripple</td><td>{ra.esc(a.get('ripple_version', '?'))} (commit {ra.esc(a.get('git_commit', '?'))})</td></tr>
</table>
"""
    ra.write_text(os.path.join(args.dir, "report.html"), ra.page("Sweep: " + os.path.basename(
        os.path.abspath(args.dir)), body))
    print(os.path.join(args.dir, "report.html"))


if __name__ == "__main__":
    main()
