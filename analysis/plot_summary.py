#!/usr/bin/python3
"""Plot the key outcomes of one or more Ripple run files over time.

    analysis/plot_summary.py runs/baseline.h5 [runs/other.h5 ...] -o summary.png

Each panel is one outcome from /summary; each run is one line, labelled by its
scenario name. Reads run files only (docs/OUTPUT.md); needs python3-h5py,
python3-numpy and python3-matplotlib from Debian.
"""
import argparse
import sys
import textwrap

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PANELS = [
    "recovery_index_mean",
    "symptoms_mean",
    "in_episode",
    "employed",
    "isolated",
    "carer_burden_mean",
    "watchdog_carers",
    "admissions",
    "dropouts",
    "waiting_weeks_mean",
    "staff_hours",
    "cost",
]


def fail(message):
    """Bad input: the message on stderr and exit code 2, as the CLI (1 is for bugs)."""
    print(f"plot_summary: {message}", file=sys.stderr)
    sys.exit(2)


def read_run(path):
    try:
        return read_open_run(path)
    except (OSError, KeyError) as e:
        # A file that opens but is cut short or lacks a dataset fails on reading.
        fail(f"{path}: not a readable Ripple run file ({e})")


def read_open_run(path):
    with h5py.File(path, "r") as f:
        if "summary" not in f:
            fail(f"{path}: has no /summary group; is it a Ripple run file?")
        group = f["summary"]
        steps = group["step"][:]
        series = {}
        for name in PANELS:
            if name in group:
                series[name] = (group[name][:], group[name].attrs.get("long_name", name),
                                group[name].attrs.get("units", ""))
        label = path
        if "meta" in f and "scenario_path" in f["meta"].attrs:
            label = f"{f['meta'].attrs['scenario_path']} (seed {f['meta'].attrs.get('seed', '?')})"
    return label, steps, series


def smooth(values, weeks):
    """A trailing moving average over `weeks`, so weekly counts read as rates."""
    if weeks <= 1 or len(values) < weeks:
        return values
    out = values.copy()
    total = 0.0
    for k, v in enumerate(values):
        total += v
        if k >= weeks:
            total -= values[k - weeks]
        out[k] = total / min(k + 1, weeks)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+", help="run files written by `ripple run`")
    parser.add_argument("-o", "--output", default="summary.png", help="image to write (.png or .svg)")
    parser.add_argument("--smooth", type=int, default=4, help="weeks of moving average for weekly counts")
    args = parser.parse_args()

    runs = [read_run(path) for path in args.runs]
    columns = 3
    rows = (len(PANELS) + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(15, 3.2 * rows), sharex=True)
    for ax, name in zip(axes.flat, PANELS):
        for label, steps, series in runs:
            if name not in series:
                continue
            values, long_name, units = series[name]
            weekly = units.endswith("/week")
            if weekly:
                # Row 0 is the state before the first week: no week's count is in it yet.
                steps, values = steps[1:], smooth(values[1:], args.smooth)
            ax.plot(steps / 52.0, values, label=label, lw=1.2)
            # Plain words on every panel: a long description wraps onto two lines.
            ax.set_title(textwrap.fill(long_name, 55), fontsize=9)
            ax.set_ylabel(units, fontsize=8)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("years")
    axes.flat[0].legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
