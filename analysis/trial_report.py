#!/usr/bin/python3
"""Figures and a self-contained HTML report of a virtual trial or cohort (ripple trial).

    analysis/trial_report.py DIR        # DIR holds trial.h5, as `ripple trial -o DIR` wrote it

Writes DIR/figures/km_<outcome>.png|svg (Kaplan-Meier curves of the event outcomes: the
share still without the event, week by week, with 95% Greenwood bands),
DIR/figures/outcomes.png|svg (each arm's share or mean with its 95% interval) and
DIR/report.html. Shares are pooled over replications with the Wilson interval, as the
`ripple trial` table shows them; means get a normal interval across replications.
"""
import math
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ripple_analysis as ra  # noqa: E402
from ripple_analysis import plt  # noqa: E402

SCRIPT = "trial_report.py"
Z = 1.959963984540054  # the 97.5% normal quantile


def wilson(events, n):
    """Share and its Wilson 95% interval (what the trial table shows)."""
    if n <= 0:
        return float("nan"), float("nan"), float("nan")
    p = events / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(sums, ns):
    """Pooled mean, and a normal 95% interval of the per-replication means."""
    total_n = ns.sum()
    if total_n <= 0:
        return float("nan"), float("nan"), float("nan")
    pooled = sums.sum() / total_n
    per_rep = np.array([s / n for s, n in zip(sums, ns) if n > 0])
    if len(per_rep) < 2:
        return pooled, float("nan"), float("nan")
    se = per_rep.std(ddof=1) / math.sqrt(len(per_rep))
    # Every mean outcome is a count of days or weeks or a 0-1 scale: none is below 0, and
    # the interval stops there, as `ripple trial` clips it.
    return pooled, max(0.0, pooled - Z * se), pooled + Z * se


def read(folder):
    path = os.path.join(folder, "trial.h5")
    if not os.path.exists(path):
        ra.fail(SCRIPT, f"{path}: no such file; run `ripple trial TRIAL.toml -o {folder}` first")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        ra.fail(SCRIPT, f"{path}: not a readable trial file ({e})")
    with f:
        trial = {
            "name": ra.text(f.attrs.get("name", "trial")),
            "design": ra.text(f.attrs.get("design", "")),
            "arms": ra.text(f.attrs.get("arms", "")).splitlines(),
            "file": ra.text(f.attrs.get("trial_file", "")),
            "replications": len(f["seeds"]) if "seeds" in f else 0,
            "outcomes": [],
        }
        if "outcomes" not in f:
            ra.fail(SCRIPT, f"{path}: has no /outcomes; is it a trial.h5 from `ripple trial`?")
        for key, group in f["outcomes"].items():
            item = {"key": key, "label": ra.text(group.attrs.get("label", key)),
                    "meaning": ra.text(group.attrs.get("meaning", "")),
                    "kind": ra.text(group.attrs.get("kind", "")),
                    "n": group["n"][()].astype(float)}
            # Event and binary outcomes store the count of participants with the
            # event or state (`events`); mean outcomes store the sum of values (`sum`).
            # Anything else is not a trial.h5 this script knows.
            if item["kind"] not in ("event", "binary", "mean"):
                ra.fail(SCRIPT, f"{path}: outcome {key} has kind {item['kind']!r}; "
                        "expected event, binary or mean")
            field = "sum" if item["kind"] == "mean" else "events"
            if field not in group:
                ra.fail(SCRIPT, f"{path}: outcome {key} ({item['kind']}) has no {field}")
            item[field] = group[field][()].astype(float)
            if item["kind"] == "event":
                item["km"] = [group[f"km_{a}"][()] if f"km_{a}" in group else None
                              for a in range(len(trial["arms"]))]
            trial["outcomes"].append(item)
    return trial


def is_share(item):
    """Event and binary outcomes are shares of participants; the rest are means."""
    return item["kind"] in ("event", "binary")


def summarise(item, arm):
    n = item["n"][:, arm]
    if is_share(item):
        return wilson(item["events"][:, arm].sum(), n.sum())
    return mean_interval(item["sum"][:, arm], n)


def km_figure(item, arms):
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for a, rows in enumerate(item["km"]):
        if rows is None or len(rows) == 0:
            continue
        # rows: time, at risk, events, survival, low, high; a step curve from week 0.
        t = np.concatenate([[0.0], rows[:, 0]])
        s = np.concatenate([[1.0], rows[:, 3]])
        lo = np.concatenate([[1.0], rows[:, 4]])
        hi = np.concatenate([[1.0], rows[:, 5]])
        line = ax.step(t, s, where="post", label=arms[a])[0]
        ax.fill_between(t, lo, hi, step="post", alpha=0.2, color=line.get_color())
    ax.set_xlabel("weeks since entry")
    ax.set_ylabel(f"share without: {item['label']}")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    ax.set_title(f"Kaplan-Meier: {item['label']}")
    return fig


def outcomes_figure(trial):
    items = trial["outcomes"]
    arms = trial["arms"]
    fig, axes = plt.subplots(len(items), 1, figsize=(6.4, 1.2 + 1.1 * len(items)), squeeze=False)
    for ax, item in zip(axes[:, 0], items):
        values = [summarise(item, a) for a in range(len(arms))]
        y = np.arange(len(arms))
        centre = np.array([v[0] for v in values])
        err = np.array([[v[0] - v[1] if math.isfinite(v[1]) else 0 for v in values],
                        [v[2] - v[0] if math.isfinite(v[2]) else 0 for v in values]])
        ax.barh(y, centre, xerr=err, color=[f"C{a}" for a in range(len(arms))], capsize=3)
        ax.set_yticks(y, arms)
        ax.set_title(item["label"] + (" (share)" if is_share(item) else " (mean)"),
                     fontsize=9, loc="left")
    fig.tight_layout()
    return fig


def table(trial):
    arms = trial["arms"]
    head = "".join(f"<th>{ra.esc(a)}</th>" for a in arms)
    rows = []
    for item in trial["outcomes"]:
        cells = []
        for a, arm in enumerate(arms):
            value, low, high = summarise(item, a)
            cells.append(ra.cell(value, item["key"], arm, "value").replace(
                "</td>", f" <small>({ra.esc(ra.show(low))} to {ra.esc(ra.show(high))})</small></td>"))
        kind = "share" if is_share(item) else "mean"
        rows.append(f"<tr><th>{ra.esc(item['label'])} <small>({kind})</small></th>"
                    f"{''.join(cells)}</tr>")
    return (f"<table><tr><th>outcome</th>{head}</tr>\n" + "\n".join(rows) + "</table>")


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    folder = argv[1]
    trial = read(folder)
    figures = os.path.join(folder, "figures")
    parts = []
    for item in trial["outcomes"]:
        if item["kind"] == "event" and any(k is not None and len(k) for k in item["km"]):
            png = ra.save_figure(km_figure(item, trial["arms"]), figures, f"km_{item['key']}")
            parts.append(ra.figure_html(png, f"Kaplan-Meier curves: {item['meaning']}"))
    png = ra.save_figure(outcomes_figure(trial), figures, "outcomes")
    bars = ra.figure_html(png, "Each arm's share (Wilson 95% interval) or mean (95% interval "
                          "across replications)")
    body = (f"<p>{ra.esc(trial['design'])} design, {trial['replications']} replications, "
            f"arms: {ra.esc(', '.join(trial['arms']))} (the first is the reference). "
            "Ratios with their intervals are in the <code>ripple trial</code> table and "
            "trial.csv. This is a model's thinking aid built on qualitative research, "
            "not a clinical prediction.</p>\n"
            f"<h2>Outcomes</h2>\n{table(trial)}\n{bars}\n"
            f"<h2>Time to first event</h2>\n{''.join(parts) or '<p>No event outcomes.</p>'}\n"
            f"<h2>The trial file</h2>\n<pre>{ra.esc(trial['file'])}</pre>")
    report = os.path.join(folder, "report.html")
    ra.write_text(report, ra.page(f"Trial: {trial['name']}", body))
    print(f"report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
