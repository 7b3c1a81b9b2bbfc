"""``cascade-board validate FILE...``: exit 0 when every file loads."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.commands.common import print_json, visible
from models.errors import BoardLoadError
from models.fileformat import load_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=".cboard file (or a PDF handout)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def check(path: str) -> dict[str, Any]:
    """The result for one file; a failure of the checker itself is reported
    as that file's problem, so the other files of a batch are still checked."""
    try:
        document = load_path(path)
    except BoardLoadError as error:
        return {"file": path, "ok": False, "problems": error.problems}
    except Exception as error:  # RecursionError and MemoryError too: reported, never lost
        detail = f"{type(error).__name__}: {error}"[:500]
        return {"file": path, "ok": False, "problems": [f"could not be checked ({detail}); please report this"]}
    return {"file": path, "ok": True, "problems": [], "nodes": len(document.nodes), "edges": len(document.edges)}


def execute(args: argparse.Namespace) -> int:
    results = []
    try:
        for path in args.files:
            result = check(path)
            results.append(result)
            if args.json:
                continue
            if result["ok"]:
                print(f"{visible(path)}: ok ({result['nodes']} nodes, {result['edges']} edges)")
            else:
                print(f"{visible(path)}: {len(result['problems'])} problem(s)", file=sys.stderr)
                for problem in result["problems"]:
                    print(f"  {visible(problem)}", file=sys.stderr)
    finally:
        if args.json:
            print_json(results)
    return 0 if all(r["ok"] for r in results) else 1
