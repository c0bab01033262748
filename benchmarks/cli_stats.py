"""`coder stats` on the sample project, timed from process start.

Prints the median wall time of several runs beside a bare `python -c pass`
start-up measured in the same run, and checks that no model (torch) is imported.

    python benchmarks/cli_stats.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stats = [sys.executable, "-m", "coder", "stats"]
    timed(stats)  # warm the OS file cache
    bare = statistics.median(timed([sys.executable, "-c", "pass"]) for _ in range(args.runs))
    runs = [timed(stats) for _ in range(args.runs)]
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; from coder.cli import main; main(['stats']); print('torch' in sys.modules)"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1]
    print(f"coder stats, sample project: median {statistics.median(runs):.2f} s "
          f"(min {min(runs):.2f} s, max {max(runs):.2f} s, {args.runs} runs)")
    print(f"bare python start-up: {bare:.3f} s; ratio {statistics.median(runs) / bare:.1f}x")
    print(f"torch imported: {probe}")


if __name__ == "__main__":
    main()
