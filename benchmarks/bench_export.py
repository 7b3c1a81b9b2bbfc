"""Export performance on the StreamFlow example: the PDF handout alone, and
``export-all`` (handout, report in Markdown and HTML, pictures, the board,
the manifest; with or without the animation GIF).

    .venv/bin/python benchmarks/bench_export.py [--repeat N] [--animation]

Prints the median and the fastest of N runs of each, wall-clock and CPU time
(the process's own, which the machine's other load barely changes), and the
ratio of the two exports side by side. The PDF is built in memory
(``build_pdf``); ``export-all`` writes into a fresh temporary folder each
time. Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SOURCE_DATE_EPOCH", "1764547200")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.fileformat import load_path

EXAMPLE = Path(__file__).resolve().parent.parent / "resources" / "examples" / "streamflow-ai.cboard"


def timed(label: str, repeat: int, work: Callable[[], object]) -> float:
    """Run ``work`` ``repeat`` times; print wall and CPU time; return the median CPU time."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    print(f"{label:<34} wall median {statistics.median(walls):6.2f} s (fastest {min(walls):5.2f})   "
          f"CPU median {statistics.median(cpus):6.2f} s (fastest {min(cpus):5.2f})   ({repeat} runs)")
    return statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--animation", action="store_true", help="include the animation GIF in export-all")
    args = parser.parse_args()
    from app.export import build_pdf
    from app.ui.export_all import export_all
    from app.ui.pictures import ensure_app

    document = load_path(EXAMPLE)
    app = ensure_app()
    build_pdf(document)  # fonts registered, catalog read: not part of what is measured
    pdf = timed("PDF handout (StreamFlow)", args.repeat, lambda: build_pdf(document))

    def everything() -> None:
        with tempfile.TemporaryDirectory() as folder:
            export_all(document, Path(folder) / "out", animation=args.animation)

    label = "export-all" + (" with the GIF" if args.animation else " without the GIF")
    everything_cpu = timed(f"{label} (StreamFlow)", args.repeat, everything)
    print(f"export-all / PDF (CPU): {everything_cpu / pdf:.1f}x;  the PDF's target is < 2 s (issue 14), "
          f"its CPU time is {pdf:.2f} s")
    del app


if __name__ == "__main__":
    main()
