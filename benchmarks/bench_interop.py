"""Import performance: 10,000 spans of Jaeger JSON, and a 300-node draw.io file.

    .venv/bin/python benchmarks/bench_interop.py

Generates both files (seeded), imports each with ``models.interop.importer.import_paths`` in a fresh
child process, and prints the wall time and the peak resident memory (``ru_maxrss``) of that
process. Aim: under 2 s and under 300 MB each. Not a test.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SERVICES = 30


def write_traces(path: Path, spans: int = 10_000, seed: int = 1) -> None:
    """Traces of 10 spans: a root, then calls down a random tree of 30 services, 20 ms apart."""
    rng = random.Random(seed)
    traces = []
    for t in range(spans // 10):
        start = 1_700_000_000_000_000 + t * 20_000
        items = []
        for i in range(10):
            parent = None if i == 0 else rng.randrange(i)
            service = 0 if i == 0 else rng.randrange(1, SERVICES)
            begin = start + i * 1_000
            items.append({"traceID": f"t{t}", "spanID": f"s{i}", "operationName": f"op{i % 3}",
                          "processID": f"p{service}",
                          "references": [] if parent is None else [{"refType": "CHILD_OF", "spanID": f"s{parent}"}],
                          "startTime": begin, "duration": int(rng.lognormvariate(8, 0.6)), "tags": []})
        traces.append({"traceID": f"t{t}", "spans": items,
                       "processes": {f"p{s}": {"serviceName": f"svc-{s}"} for s in range(SERVICES)}})
    path.write_text(json.dumps({"data": traces}), encoding="utf-8")


def write_drawio(path: Path, nodes: int = 300, seed: int = 2) -> None:
    rng = random.Random(seed)
    cells = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>']
    for i in range(nodes):
        cells.append(f'<mxCell id="v{i}" value="service {i}" style="rounded=1;" vertex="1" parent="1">'
                     f'<mxGeometry x="{(i % 20) * 200}" y="{(i // 20) * 120}" width="150" height="56" as="geometry"/>'
                     "</mxCell>")
    for i in range(1, nodes):
        cells.append(f'<mxCell id="e{i}" style="endArrow=block;" edge="1" parent="1" source="v{rng.randrange(i)}" '
                     f'target="v{i}"><mxGeometry relative="1" as="geometry"/></mxCell>')
    path.write_text('<mxfile><diagram name="Big"><mxGraphModel><root>' + "".join(cells)
                    + "</root></mxGraphModel></diagram></mxfile>", encoding="utf-8")


def _measure(path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from models.interop.importer import import_paths

    started = time.perf_counter()
    result = import_paths([path])
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((elapsed, peak_mb, len(result.document.nodes), len(result.document.edges)))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        traces, drawio = Path(folder) / "spans.json", Path(folder) / "big.drawio"
        write_traces(traces)
        write_drawio(drawio)
        for name, path in (("10,000 Jaeger spans", traces), ("300-node draw.io", drawio)):
            queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
            process = multiprocessing.get_context("fork").Process(target=_measure, args=(str(path), queue))
            process.start()
            elapsed, peak, nodes, edges = queue.get()
            process.join()
            print(f"{name}: {elapsed:.2f} s, peak RSS {peak:.0f} MB ({nodes} nodes, {edges} edges)")


if __name__ == "__main__":
    main()
