#!/usr/bin/python3
"""Figures of a calibration (ripple calibrate).

    analysis/calibration_report.py DIR   # DIR holds calibration.h5, as `ripple calibrate -o DIR` wrote it

Writes DIR/calibration.png|svg: one row per published figure, each on its own scale,
with the published value (black diamond) and its band (grey: the published interval,
or 20% either side where none is published) beside the model's value at the best fit
(blue dot, with its 95% interval across replications); a row is red where the model
falls outside the band. Also DIR/distance.png|svg: the distance at each evaluation.
"""
import math
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ripple_analysis as ra  # noqa: E402
from ripple_analysis import plt  # noqa: E402

SCRIPT = "calibration_report.py"


def read(folder):
    path = os.path.join(folder, "calibration.h5")
    if not os.path.exists(path):
        ra.fail(SCRIPT, f"{path}: not found; run `ripple calibrate TARGETS -o {folder}` first")
    try:
        with h5py.File(path, "r") as f:
            targets = [t for t in ra.text(f.attrs["targets"]).split("\n") if t]
            best = np.asarray(f["best"][()], dtype=float)
            distance = np.asarray(f["distance"][()], dtype=float).reshape(-1)
    except (OSError, KeyError) as e:
        ra.fail(SCRIPT, f"{path}: not a complete calibration record ({e})")
    if best.shape != (len(targets), 7):
        ra.fail(SCRIPT, f"{path}: /best has shape {best.shape}, expected ({len(targets)}, 7)")
    return targets, best, distance


def targets_figure(targets, best):
    rows = len(targets)
    fig, axes = plt.subplots(rows, 1, figsize=(8.5, 0.62 * rows + 0.8), squeeze=False)
    for ax, name, row in zip(axes[:, 0], targets, best):
        published, low, high, model, model_low, model_high, _ = row
        inside = math.isfinite(model) and low <= model <= high
        ax.axvspan(low, high, color="0.85", zorder=0)
        ax.plot([published], [0], marker="D", color="black", zorder=3)
        colour = "tab:blue" if inside else "tab:red"
        if math.isfinite(model):
            if math.isfinite(model_low) and math.isfinite(model_high):
                ax.plot([model_low, model_high], [0, 0], color=colour, lw=2, zorder=2)
            ax.plot([model], [0], marker="o", color=colour, zorder=4)
        values = [v for v in (low, high, model, model_low, model_high) if math.isfinite(v)]
        span = max(values) - min(values) or 1.0
        ax.set_xlim(min(values) - 0.1 * span, max(values) + 0.1 * span)
        ax.set_yticks([])
        ax.set_ylim(-1, 1)
        ax.tick_params(axis="x", labelsize=7, pad=1)
        ax.set_ylabel(name, rotation=0, ha="right", va="center", fontsize=8,
                      color="black" if inside else "tab:red")
        for side in ("top", "left", "right"):
            ax.spines[side].set_visible(False)
    axes[0, 0].set_title("Published (black, grey band) and model (dot, 95% interval); "
                         "red: outside the band", fontsize=9)
    fig.tight_layout(h_pad=0.3)
    return fig


def distance_figure(distance):
    fig, ax = plt.subplots(figsize=(6, 3))
    finite = np.where(np.isfinite(distance), distance, np.nan)
    ax.plot(np.arange(1, len(finite) + 1), finite, ".", color="0.5", label="evaluation")
    ax.plot(np.arange(1, len(finite) + 1), np.fmin.accumulate(np.nan_to_num(finite, nan=np.inf)),
            color="tab:blue", label="best so far")
    ax.set_xlabel("evaluation")
    ax.set_ylabel("distance (sum of weight x miss²)")
    ax.set_yscale("log")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    folder = argv[1]
    targets, best, distance = read(folder)
    ra.save_figure(targets_figure(targets, best), folder, "calibration")
    ra.save_figure(distance_figure(distance), folder, "distance")
    print(f"figures: {os.path.join(folder, 'calibration.png')}, "
          f"{os.path.join(folder, 'distance.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
