#!/usr/bin/python3
"""Checks that `ripple compare` wrote the same numbers to stdout, CSV and HDF5.

    check_outputs.py DIR STDOUT.txt     exit 0 when they agree, 1 with the differences
"""
import csv
import math
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "analysis"))
import ripple_analysis as ra  # noqa: E402

problems = []


def same(a, b, what):
    if (a is None or (isinstance(a, float) and math.isnan(a))) and (
            b is None or (isinstance(b, float) and math.isnan(b))):
        return
    if a != b:
        problems.append(f"{what}: {a!r} != {b!r}")


def number(text):
    return float(text) if text != "" else float("nan")


folder, stdout_path = sys.argv[1], sys.argv[2]
with open(os.path.join(folder, "compare.csv"), newline="") as f:
    rows = list(csv.DictReader(f))
with open(stdout_path) as f:
    stdout = f.read().splitlines()

with h5py.File(os.path.join(folder, "compare.h5"), "r") as h5:
    names = ra.texts(h5["configurations/name"])
    table = h5["table"]
    keys = ra.texts(table["outcome"])
    # CSV against HDF5, every digit.
    outcome_rows = [r for r in rows if r["section"] == "outcome"]
    if len(outcome_rows) != len(keys) * len(names):
        problems.append(f"CSV has {len(outcome_rows)} outcome rows, HDF5 {len(keys)} x {len(names)}")
    for r in outcome_rows:
        i, k = keys.index(r["outcome"]), names.index(r["configuration"])
        for column in ("mean", "mean_low", "mean_high", "difference", "difference_low",
                       "difference_high"):
            same(number(r[column]), float(table[column][i, k]), f"{r['outcome']}/{names[k]}/{column}")
        # The table's mean is the mean of the per-run values stored in /runs.
        runs = h5["runs"][r["outcome"]][k]
        if not math.isclose(float(np.mean(runs)), number(r["mean"]), rel_tol=1e-12, abs_tol=1e-12):
            problems.append(f"{r['outcome']}/{names[k]}: /runs mean {np.mean(runs)} != {r['mean']}")
    sub = h5["subgroups/table"]
    sub_keys = list(zip(ra.texts(sub["label"]), ra.texts(sub["outcome"])))
    for r in (r for r in rows if r["section"] == "subgroup"):
        i, k = sub_keys.index((r["label"], r["outcome"])), names.index(r["configuration"])
        same(number(r["difference"]), float(sub["difference"][i, k]), f"{r['label']}/{r['outcome']}")
    icer = h5["icer/ratio"][()]
    for r in (r for r in rows if r["section"] == "icer"):
        same(number(r["mean"]), float(icer[names.index(r["configuration"])]), "icer")

    # stdout against HDF5, as shown (four significant digits).
    labels, units = ra.texts(table["label"]), ra.texts(table["unit"])
    for i, (label, unit) in enumerate(zip(labels, units)):
        head = f"{label} ({unit})"
        at = next((n for n, line in enumerate(stdout) if line.startswith(head + " ")), None)
        if at is None:
            problems.append(f"stdout has no row {head}")
            continue
        for k in range(len(names)):
            tokens = stdout[at + k][len(head) if k == 0 else 0:].split()
            same(tokens[0], names[k], f"{head} row {k}")
            same(tokens[1], ra.show(float(table["mean"][i, k])), f"{head} {names[k]} mean")
            if k > 0:
                same(tokens[2], ra.show(float(table["difference"][i, k]), True), f"{head} {names[k]} diff")
                same(tokens[3], ra.show(float(table["difference_low"][i, k]), True), f"{head} low")
                same(tokens[5], ra.show(float(table["difference_high"][i, k]), True), f"{head} high")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("stdout, CSV and HDF5 agree")
