"""Shared pieces of Ripple's analysis scripts: reading output files, drawing the
figures (each saved as PNG and SVG) and writing a self-contained HTML report.

Only Debian's python3-h5py, python3-numpy and python3-matplotlib are needed.
"""
import base64
import html
import io
import math
import os
import sys

import h5py
import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Key outcomes drawn over time, in the order of the comparison table.
SERIES = [
    "recovery_index_mean",
    "relapses",
    "admissions",
    "bed_days",
    "employed",
    "isolated",
    "carer_burden_mean",
    "dropouts",
    "waiting_weeks_mean",
    "staff_hours",
    "cost",
]


def fail(script, message):
    """Bad input (a missing or foreign file): the message, and exit code 2, which ripple
    passes on as the user's error. Any other failure of a script (a traceback, exit
    code 1) is a bug, and ripple reports it as one."""
    print(f"{script}: {message}", file=sys.stderr)
    sys.exit(2)


def text(value):
    """An HDF5 string (bytes or str) as str."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def texts(dataset):
    return [text(v) for v in dataset[()]]


def show(value, sign=False):
    """Four significant digits, large numbers whole: what the tables show (as the CLI)."""
    if value is None or not math.isfinite(value):
        return "-"
    if value == 0:
        return "+0" if sign else "0"
    if abs(value) >= 1000:
        return f"{value:+.0f}" if sign else f"{value:.0f}"
    formatted = f"{value:+.4g}" if sign else f"{value:.4g}"
    return formatted


def full(value):
    """Every digit, for data attributes a test or a script can read back."""
    return repr(float(value))


def smooth(values, weeks):
    """A trailing moving average over `weeks`, so weekly counts read as rates."""
    if weeks <= 1 or values.shape[-1] < weeks:
        return values
    kernel = np.ones(weeks) / weeks
    out = np.empty_like(values, dtype=float)
    for index in np.ndindex(values.shape[:-1]):
        row = values[index]
        padded = np.concatenate([np.full(weeks - 1, row[0]), row])
        out[index] = np.convolve(padded, kernel, mode="valid")
    return out


def save_figure(fig, folder, name):
    """Saves PNG and SVG; returns the PNG bytes for embedding."""
    os.makedirs(folder, exist_ok=True)
    png = os.path.join(folder, name + ".png")
    svg = os.path.join(folder, name + ".svg")
    fig.savefig(png + ".partial", format="png", dpi=110, bbox_inches="tight")
    fig.savefig(svg + ".partial", format="svg", bbox_inches="tight")
    os.replace(png + ".partial", png)
    os.replace(svg + ".partial", svg)
    plt.close(fig)
    with open(png, "rb") as f:
        return f.read()


def band_figure(steps, series, labels, names, t_quantile, smooth_weeks=4):
    """Outcomes over time: per configuration the mean over replications and its 95% band.

    series: {variable: array [configuration, replication, step]}.
    """
    columns = 3
    rows = max(1, (len(names) + columns - 1) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(15, 3.1 * rows), sharex=True, squeeze=False)
    for ax, name in zip(axes.flat, names):
        values, title, unit = series[name]
        weekly = unit.endswith("/week")
        data = smooth(values, smooth_weeks) if weekly else values
        for k, label in enumerate(labels):
            runs = data[k]
            mean = runs.mean(axis=0)
            ax.plot(steps, mean, label=label, linewidth=1.3)
            if runs.shape[0] > 1:
                half = t_quantile * runs.std(axis=0, ddof=1) / math.sqrt(runs.shape[0])
                ax.fill_between(steps, mean - half, mean + half, alpha=0.25)
        ax.set_title(name + (f" ({smooth_weeks}-week mean)" if weekly else ""), fontsize=9)
        ax.set_ylabel(unit, fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("week")
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("Outcomes over time: mean over replications with 95% band", fontsize=11)
    fig.tight_layout()
    return fig


def forest_figure(rows, reference):
    """Paired differences in percent of the reference mean, with 95% intervals.

    rows: list of (label, reference_mean, difference, low, high).
    """
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(rows) + 1.4))
    y = np.arange(len(rows))[::-1]
    for yy, (label, base, diff, low, high) in zip(y, rows):
        if not base:
            # A percent of a reference mean of 0 does not exist: say so on the row.
            ax.annotate("no % (the reference's mean is 0)", (0.0, yy), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=7, color="grey")
            continue
        scale = 100.0 / abs(base)
        centre = diff * scale
        if math.isfinite(low) and math.isfinite(centre):
            ax.plot([low * scale, high * scale], [yy, yy], color="tab:blue")
        ax.plot([centre], [yy], "o", color="tab:blue")
    ax.axvline(0.0, color="grey", linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([r[0] for r in rows], fontsize=8)
    ax.set_xlabel(f"difference to {reference}, % of its mean (95% CI)")
    ax.set_title("Paired differences", fontsize=11)
    fig.tight_layout()
    return fig


def ce_plane_figure(points, reference):
    """Cost-effectiveness plane: extra cost against recovery-years gained, with 95% CIs.

    points: list of (label, years, years_low, years_high, cost, cost_low, cost_high).
    """
    fig, ax = plt.subplots(figsize=(6.5, 5))
    for label, years, ylow, yhigh, cost, clow, chigh in points:
        xerr = [[years - ylow], [yhigh - years]] if math.isfinite(ylow) else None
        yerr = [[cost - clow], [chigh - cost]] if math.isfinite(clow) else None
        ax.errorbar([years], [cost], xerr=xerr, yerr=yerr, fmt="o", capsize=4, label=label)
    ax.axhline(0.0, color="grey", linewidth=0.8)
    ax.axvline(0.0, color="grey", linewidth=0.8)
    ax.set_xlabel(f"recovery-years gained against {reference}")
    ax.set_ylabel(f"extra cost against {reference} (NOK)")
    ax.set_title("Cost-effectiveness plane (95% CIs)", fontsize=11)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def sobol_figure(parameters, outcomes, first, total):
    """Sobol indices as two heatmaps, outcomes down and parameters across: first order
    and total, each cell holding its value. A bar panel per outcome ran to thousands of
    pixels for the 30-odd outcomes of a sweep; a grid stays readable."""
    rows, columns = len(outcomes), len(parameters)
    width = max(3.0, 0.9 * columns + 1.0)
    label_width = 0.075 * max(len(o) for o in outcomes) + 0.3
    fig, axes = plt.subplots(1, 2, figsize=(2 * width + label_width + 1.0, 0.32 * rows + 2.2),
                             squeeze=False, sharey=True)
    image = None
    for ax, values, title in zip(axes[0], (first, total), ("first order", "total")):
        image = ax.imshow(np.clip(values, 0.0, 1.0), vmin=0.0, vmax=1.0, cmap="Blues",
                          aspect="auto")
        for o in range(rows):
            for p in range(columns):
                v = values[o, p]
                if math.isfinite(v):
                    ax.text(p, o, f"{v:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if v > 0.6 else "black")
        ax.set_xticks(range(columns))
        ax.set_xticklabels(parameters, rotation=30, ha="right", fontsize=8)
        ax.set_yticks(range(rows))
        ax.set_yticklabels(outcomes, fontsize=8)
        ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=list(axes[0]), shrink=0.6, label="Sobol index")
    return fig


# --- HTML -------------------------------------------------------------------------

STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f0f0f0; }
img { max-width: 100%; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
p.summary { background: #eef5ff; padding: 0.8em; border-left: 4px solid #4a7bd0; }
"""


def esc(value):
    return html.escape(str(value))


def figure_html(png_bytes, caption):
    data = base64.b64encode(png_bytes).decode("ascii")
    return (f'<figure><img alt="{esc(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def cell(value, key, config, column, sign=False):
    """A table cell showing `value` with its full value in data attributes."""
    attrs = f'data-key="{esc(key)}" data-config="{esc(config)}" data-column="{esc(column)}"'
    if value is not None and math.isfinite(value):
        attrs += f' data-value="{full(value)}"'
    return f'<td class="num" {attrs}>{esc(show(value, sign))}</td>'


def page(title, body):
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>\n"
            f"<h1>{esc(title)}</h1>\n{body}\n</body></html>\n")


def write_text(path, content):
    with open(path + ".partial", "w", encoding="utf-8") as f:
        f.write(content)
    os.replace(path + ".partial", path)
