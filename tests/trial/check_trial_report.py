#!/usr/bin/python3
"""Checks a trial report against its trial.h5: every share the report shows for an event
or binary outcome equals events / n pooled over replications, every mean sum / n, and
the figures exist.

    check_trial_report.py DIR [KIND...]   # KIND: an outcome kind trial.h5 must hold
"""
import os
import re
import sys

import h5py


def main(folder):
    html = open(os.path.join(folder, "report.html"), encoding="utf-8").read()
    shown = {(m[0], m[1]): float(m[2]) for m in re.findall(
        r'data-key="([^"]+)" data-config="([^"]+)" data-column="value" data-value="([^"]+)"', html)}
    problems = []
    checked = 0
    kinds = set()
    with h5py.File(os.path.join(folder, "trial.h5"), "r") as f:
        arms = f.attrs["arms"]
        arms = (arms.decode() if isinstance(arms, bytes) else str(arms)).splitlines()
        for key, group in f["outcomes"].items():
            kind = group.attrs["kind"]
            kind = kind.decode() if isinstance(kind, bytes) else str(kind)
            kinds.add(kind)
            for a, arm in enumerate(arms):
                n = group["n"][:, a].sum()
                if n == 0:
                    continue
                expected = (group["sum"][:, a].sum() if kind == "mean"
                            else group["events"][:, a].sum()) / n
                value = shown.get((key, arm))
                if value is None or abs(value - expected) > 1e-12 * max(1.0, abs(expected)):
                    problems.append(f"{key} / {arm}: report {value}, trial.h5 {expected}")
                checked += 1
            if kind == "event" and not os.path.exists(
                    os.path.join(folder, "figures", f"km_{key}.png")):
                problems.append(f"no Kaplan-Meier figure for {key}")
    if not os.path.exists(os.path.join(folder, "figures", "outcomes.svg")):
        problems.append("no outcomes figure")
    for wanted in sys.argv[2:]:
        if wanted not in kinds:
            problems.append(f"no {wanted} outcome in trial.h5")
    if checked == 0:
        problems.append("no outcome was checked")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
