#!/usr/bin/python3
"""Figures and an HTML report of a comparison made by `ripple compare`.

    analysis/compare_report.py DIR [--smooth WEEKS]

Reads DIR/compare.h5 (docs/COMPARE.md) and writes, in DIR/figures/, PNG and SVG of
the outcomes over time (mean over replications with a 95% band), a forest plot of the
paired differences and a cost-effectiveness plane, then DIR/report.html: one file
with the figures embedded, the tables, a plain-words summary, the scenarios and how
the comparison was made. Needs python3-h5py, python3-numpy, python3-matplotlib.
"""
import argparse
import math
import os

import h5py
import numpy as np

import ripple_analysis as ra

SCRIPT = "compare_report"


def read(path):
    try:
        return read_file(path)
    except (OSError, KeyError, ValueError) as e:
        # Opens but is cut short, or lacks a part: not a bug of this script.
        ra.fail(SCRIPT, f"{path}: not a complete comparison file ({e}); run `ripple compare` "
                        "again")


def read_file(path):
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        ra.fail(SCRIPT, f"{path}: not a readable comparison file ({e}); run `ripple compare` first")
    with f:
        if ra.text(f.attrs.get("format", "")) != "ripple-compare":
            ra.fail(SCRIPT, f"{path}: not a comparison file made by `ripple compare`")
        data = {
            "attrs": {k: (ra.text(v) if isinstance(v, (bytes, str)) else v)
                      for k, v in f.attrs.items()},
            "names": ra.texts(f["configurations/name"]),
            "paths": ra.texts(f["configurations/path"]),
            "scenario_texts": ra.texts(f["configurations/text"]),
            "overrides": ra.texts(f["configurations/overrides"]),
            "seeds": f["seeds"][()],
            "steps": f["timeseries/step"][()],
            "series": {},
        }
        for name in ra.SERIES:
            if name in f["timeseries"]:
                d = f["timeseries"][name]
                data["series"][name] = (d[()], ra.text(d.attrs.get("long_name", name)),
                                        ra.text(d.attrs.get("units", "")))
        table = f["table"]
        data["table"] = {k: (ra.texts(table[k]) if k in ("outcome", "label", "unit")
                             else table[k][()]) for k in table}
        sub = f["subgroups"]
        data["groups"] = ra.texts(sub["group"])
        data["sizes"] = sub["size"][()]
        data["subtable"] = {k: (ra.texts(sub["table"][k]) if k in ("outcome", "label", "unit")
                                else sub["table"][k][()]) for k in sub["table"]}
        data["icer"] = {k: (ra.texts(f["icer"][k]) if k == "reason" else f["icer"][k][()])
                        for k in f["icer"]}
    return data


def key_table(d):
    t, names = d["table"], d["names"]
    rows = ["<table><tr><th>Outcome</th><th>Unit</th>"]
    rows[0] += "".join(f"<th>{ra.esc(n)}<br>mean</th>" for n in names)
    rows[0] += "".join(f"<th>{ra.esc(n)} &minus; {ra.esc(names[0])}<br>difference (95% CI)</th>"
                       for n in names[1:]) + "</tr>"
    for i, key in enumerate(t["outcome"]):
        line = f"<tr><td>{ra.esc(t['label'][i])}</td><td>{ra.esc(t['unit'][i])}</td>"
        line += "".join(ra.cell(t["mean"][i, k], key, names[k], "mean") for k in range(len(names)))
        line += "".join(difference_cell(t, i, k, key, names[k]) for k in range(1, len(names)))
        rows.append(line + "</tr>")
    return "\n".join(rows) + "</table>"


def difference_cell(t, i, k, key, name):
    """Row i's difference of arm k from the first arm, its interval in small print below."""
    cell = ra.cell(t["difference"][i, k], key, name, "difference", sign=True)[:-len("</td>")]
    return (cell + f' <small>({ra.esc(ra.show(t["difference_low"][i, k], True))} to '
            f'{ra.esc(ra.show(t["difference_high"][i, k], True))})</small></td>')


def subgroup_table(d):
    t, names = d["subtable"], d["names"]
    persons = d["sizes"][0].mean(axis=0)
    head = "<table><tr><th>Subgroup</th><th>Persons at start</th><th>Outcome</th>"
    head += "".join(f"<th>{ra.esc(n)} &minus; {ra.esc(names[0])}</th>" for n in names[1:])
    rows = [head + "</tr>"]
    groups = {g: i for i, g in enumerate(d["groups"])}
    for i, key in enumerate(t["outcome"]):
        label = t["label"][i]
        line = f"<tr><td>{ra.esc(label)}</td><td class=\"num\">{ra.esc(ra.show(persons[groups[label]]))}</td>"
        line += f"<td>{ra.esc(key)}</td>"
        line += "".join(difference_cell(t, i, k, f"{label}/{key}", names[k])
                        for k in range(1, len(names)))
        rows.append(line + "</tr>")
    return "\n".join(rows) + "</table>"


def icer_html(d):
    names, icer = d["names"], d["icer"]
    items = []
    for k in range(1, len(names)):
        ratio = icer["ratio"][k]
        words = (f"{ra.show(ratio)} NOK per recovery-year gained" if math.isfinite(ratio)
                 else f"cost per recovery-year {icer['reason'][k]}")
        items.append(
            f'<li data-config="{ra.esc(names[k])}"'
            + (f' data-icer="{ra.full(ratio)}"' if math.isfinite(ratio) else "")
            + f"><b>{ra.esc(names[k])}</b>: extra cost "
            f"{ra.esc(ra.show(icer['cost_difference'][k], True))} NOK (95% CI "
            f"{ra.esc(ra.show(icer['cost_difference_low'][k], True))} to "
            f"{ra.esc(ra.show(icer['cost_difference_high'][k], True))}), recovery-years gained "
            f"{ra.esc(ra.show(icer['recovery_years_difference'][k], True))} (95% CI "
            f"{ra.esc(ra.show(icer['recovery_years_difference_low'][k], True))} to "
            f"{ra.esc(ra.show(icer['recovery_years_difference_high'][k], True))}): "
            f"{ra.esc(words)}.</li>")
    return "<ul>" + "".join(items) + "</ul>"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", help="output folder of `ripple compare` (holds compare.h5)")
    parser.add_argument("--smooth", type=int, default=4,
                        help="weeks of moving average for weekly counts in the time series")
    args = parser.parse_args()
    if args.smooth < 1:
        parser.error(f"--smooth {args.smooth}: must be at least 1 (1 draws the weekly values)")
    d = read(os.path.join(args.dir, "compare.h5"))
    if args.smooth > len(d["steps"]):
        ra.fail(SCRIPT, f"--smooth {args.smooth}: the runs have only {len(d['steps'])} weeks "
                        "to average over")
    figures = os.path.join(args.dir, "figures")
    names, reference = d["names"], d["names"][0]
    t_q = float(d["attrs"].get("t_quantile", float("nan")))
    if not math.isfinite(t_q):
        t_q = 0.0

    shown = [n for n in ra.SERIES if n in d["series"]]
    bands = ra.save_figure(ra.band_figure(d["steps"], d["series"], names, shown, t_q, args.smooth),
                           figures, "timeseries")
    t = d["table"]
    forest_rows = []
    for i, key in enumerate(t["outcome"]):
        for k in range(1, len(names)):
            forest_rows.append((f"{t['label'][i]}: {names[k]}" if len(names) > 2 else t["label"][i],
                                t["mean"][i, 0], t["difference"][i, k], t["difference_low"][i, k],
                                t["difference_high"][i, k]))
    forest = ra.save_figure(ra.forest_figure(forest_rows, reference), figures, "forest")
    ic = d["icer"]
    points = [(names[k], ic["recovery_years_difference"][k], ic["recovery_years_difference_low"][k],
               ic["recovery_years_difference_high"][k], ic["cost_difference"][k],
               ic["cost_difference_low"][k], ic["cost_difference_high"][k])
              for k in range(1, len(names))]
    plane = ra.save_figure(ra.ce_plane_figure(points, reference), figures, "ce_plane")

    a = d["attrs"]
    mode = "common random numbers" if a.get("mode") == "common" else "independent seeds"
    summary = "".join(f'<p class="summary">{ra.esc(line)}</p>'
                      for line in str(a.get("summary_text", "")).splitlines() if line.strip())
    scenarios = "".join(
        f"<details><summary>{ra.esc(n)}: {ra.esc(p)}</summary>"
        + (f"<p>with --set: {ra.esc(o.strip())}</p>" if o.strip() else "")
        + f"<pre>{ra.esc(txt)}</pre></details>"
        for n, p, txt, o in zip(names, d["paths"], d["scenario_texts"], d["overrides"]))
    seeds = ", ".join(str(s) for s in d["seeds"][0][:20]) + (" ..." if d["seeds"].shape[1] > 20 else "")
    body = f"""
<h2>In plain words</h2>
{summary}
<p>{len(names)} configurations of the same population, {a.get('replications')} replications each,
{a.get('weeks')} weeks, {mode}. Each outcome is a run's mean per week over weeks 1 to
{a.get('weeks')}, averaged over replications, except the two whole-run totals. A difference is
paired by replication (configuration minus {ra.esc(reference)}) with its 95% confidence interval.
Ripple is a thinking tool built on qualitative research, not a clinical predictor: read the
differences, not the levels.</p>
<h2>Key outcomes</h2>
{key_table(d)}
<h2>Cost per recovery-year gained</h2>
<p>A recovery-year is a year lived in recovery at full recovery index: the persons in recovery
times their mean recovery index, summed over the weeks and divided by 52.</p>
{icer_html(d)}
{ra.figure_html(plane, "Cost-effectiveness plane")}
<h2>Who benefits</h2>
<p>Differences within subgroups of the persons in recovery, formed at the start of the run.</p>
{subgroup_table(d)}
<h2>Figures</h2>
{ra.figure_html(forest, "Paired differences in percent of the reference mean")}
{ra.figure_html(bands, "Outcomes over time")}
<h2>Scenarios</h2>
{scenarios}
<h2>Provenance</h2>
<table>
<tr><td>Ripple</td><td>{ra.esc(a.get('ripple_version'))} (commit {ra.esc(a.get('git_commit'))})</td></tr>
<tr><td>Master seed</td><td>{ra.esc(a.get('master_seed'))}</td></tr>
<tr><td>Seeds of the replications</td><td>{ra.esc(seeds)}</td></tr>
<tr><td>Random numbers</td><td>{ra.esc(mode)}</td></tr>
<tr><td>Data</td><td>compare.h5 and compare.csv in this folder; figures in figures/</td></tr>
</table>
"""
    title = "Comparison: " + " vs ".join(names)
    ra.write_text(os.path.join(args.dir, "report.html"), ra.page(title, body))
    print(os.path.join(args.dir, "report.html"))


if __name__ == "__main__":
    main()
