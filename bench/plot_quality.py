#!/usr/bin/python3
"""-log p(x) against training minutes, one line per run, from the results.txt files that
bench/quality.sh writes (lines "minute M epochs E nll X ..."), each point labelled with its
epochs. Optional horizontal lines mark published figures. Needs Debian's python3-matplotlib.

  bench/plot_quality.py OUT.png "RESULTS:LABEL" ["RESULTS:LABEL" ...] [--line "VALUE:LABEL"]
  bench/plot_quality.py docs/nll-minutes.png /tmp/quality-paper/results.txt:"vae-explorer --preset paper" \\
      /tmp/quality-reference/results.txt:"PyTorch loop" --line "86.76:IWAE's VAE, 3,280 epochs"
"""
import argparse
import re

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

POINT = re.compile(r"^minute (\S+) epochs (\S+) nll (\S+)")


def read_points(path):
    points = []
    with open(path) as f:
        for line in f:
            match = POINT.match(line)
            if match:
                points.append(tuple(float(v) for v in match.groups()))
    if not points:
        raise SystemExit(f"{path}: no 'minute M epochs E nll X' lines")
    return points


def split_label(text, what):
    path, sep, label = text.partition(":")
    if not sep or not label:
        raise SystemExit(f"{text}: expected {what}:LABEL")
    return path, label


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("runs", nargs="+", metavar="RESULTS:LABEL")
    parser.add_argument("--line", action="append", default=[], metavar="VALUE:LABEL")
    parser.add_argument("--title", default="-log p(x) against training minutes (2 cores)")
    parser.add_argument("--ylabel", default="-log p(x), nats (first 1,000 test images, k = 1000)")
    args = parser.parse_args()

    figure, axes = plt.subplots(figsize=(7.5, 4.5), dpi=110)
    for run in args.runs:
        path, label = split_label(run, "RESULTS")
        points = read_points(path)
        minutes, epochs, nll = zip(*points)
        axes.plot(minutes, nll, marker="o", label=label)
        for m, e, x in points:
            axes.annotate(f"{e:g} ep", (m, x), textcoords="offset points", xytext=(4, 5), fontsize=7)
    for line in args.line:
        value, label = split_label(line, "VALUE")
        axes.axhline(float(value), linestyle="--", linewidth=1, color="grey")
        axes.annotate(label, (0, float(value)), xycoords=("axes fraction", "data"), xytext=(4, -10),
                      textcoords="offset points", fontsize=8, color="grey")
    axes.set_xlim(left=0)
    axes.set_xlabel("training minutes (wall clock)")
    axes.set_ylabel(args.ylabel)
    axes.set_title(args.title)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(args.out)


if __name__ == "__main__":
    main()
