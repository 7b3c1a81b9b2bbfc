"""What the benchmarks share: the targets of docs/recording.md ("Performance"), a line per
measurement with its target beside it, and ``--baseline REV``: the same measurements run on
another commit's code in the same run, printed side by side with this code's.

The machine's other load inflates wall-clock times, so the benchmarks also report CPU time
(``time.thread_time`` of the GUI thread) and say what rate that CPU time allows; compare
old and new measured in one run, never against numbers from another day.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("CASCADE_BENCH_ROOT") or HERE.parent)
"""The code measured: this checkout, or (in a ``--baseline`` child) another commit's tree."""
RESULT_MARK = "BENCH-RESULT "

sys.path.insert(0, str(ROOT))  # importing this module makes ``app`` and ``models`` those of ROOT

_results: dict[str, dict[str, float | str]] = {}


def full_hd_offscreen() -> None:
    """Offscreen Qt with one 1920×1080 screen, as a presenter's (unless a platform is set)."""
    if "QT_QPA_PLATFORM" in os.environ:
        return
    config = Path(tempfile.gettempdir()) / "cascade-bench-screen.json"
    config.write_text(json.dumps({"screens": [{"name": "bench", "x": 0, "y": 0, "width": 1920, "height": 1080,
                                              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def report(name: str, value: float, unit: str, target: float | None = None, higher_is_better: bool = True,
           note: str = "") -> None:
    """Print one measurement with its target and how far it is from it; keep it for ``--baseline``."""
    line = f"  {name}: {value:.1f} {unit}"
    if target is not None:
        ratio = value / target if higher_is_better else target / max(value, 1e-9)
        sign = "≥" if higher_is_better else "≤"
        line += f"   [target {sign} {target:.4g} {unit}: {'met' if ratio >= 1 else 'NOT met'}, {ratio:.2f}× the target]"
    print(line + (f"  ({note})" if note else ""))
    _results[name] = {"value": value, "unit": unit, "target": target if target is not None else "",
                      "higher": int(higher_is_better)}


def emit_results() -> None:
    """The measurements as one machine-readable line (read by a ``--baseline`` parent)."""
    print(RESULT_MARK + json.dumps(_results), flush=True)


def add_baseline_option(parser: object) -> None:
    parser.add_argument("--baseline", metavar="REV", default="",  # type: ignore[attr-defined]
                        help="also measure the code of git commit REV in the same run and print both side by side")


def _extract(rev: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="cascade-bench-"))
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev, "app", "models", "resources"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def run_baseline(rev: str, argv: list[str]) -> dict[str, dict[str, float | str]]:
    """Run this benchmark (``argv`` without ``--baseline``) on the code of ``rev``; its results."""
    tree = _extract(rev)
    env = dict(os.environ, CASCADE_BENCH_ROOT=str(tree), PYTHONPATH=str(tree))
    print(f"--- baseline: the code of {rev} ({tree}) ---", flush=True)
    # from inside the tree: a fork server started with "-c" imports from its working directory first
    done = subprocess.run([sys.executable, *argv], env=env, capture_output=True, text=True, check=False, cwd=tree)
    results: dict[str, dict[str, float | str]] = {}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            results = json.loads(line[len(RESULT_MARK):])
        else:
            print(line)
    if done.returncode:
        print(done.stderr[-2000:])
    return results


def compare(rev: str, old: dict[str, dict[str, float | str]]) -> None:
    """Old (``rev``) against new, with each one's distance to its target."""
    print(f"\n=== {rev} → this checkout, measured in one run ===")
    print(f"  {'measurement':<58} {'old':>9} {'new':>9}  {'new vs old':>10}  target")
    for name, new in _results.items():
        before = old.get(name)
        value, unit, target = float(new["value"]), str(new["unit"]), new["target"]
        higher = bool(new["higher"])
        if before is None:
            print(f"  {name:<58} {'-':>9} {value:>9.1f}  {'':>10}  {unit}")
            continue
        was = float(before["value"])
        goal = f"{'≥' if higher else '≤'} {float(target):.4g} {unit}" if target != "" else unit
        low, high = (was, value) if higher else (value, was)
        if low > 0:
            better = f"{high / low:>9.2f}×"
        else:  # a count down to nothing (stalls): no ratio says it
            better = f"{'same' if high == 0 else '∞':>10}"
        print(f"  {name:<58} {was:>9.1f} {value:>9.1f}  {better}  {goal}")
    print("  (new vs old: how many times better; above 1 is an improvement)")


def finish(args: object, argv: list[str]) -> None:
    """Print the machine-readable line and, with ``--baseline``, the side-by-side table."""
    rev = getattr(args, "baseline", "")
    if not rev:
        emit_results()
        return
    child = [a for i, a in enumerate(argv) if a != "--baseline" and (i == 0 or argv[i - 1] != "--baseline")
             and not a.startswith("--baseline=")]
    mine = dict(_results)
    old = run_baseline(rev, child)
    _results.clear()
    _results.update(mine)
    compare(rev, old)
