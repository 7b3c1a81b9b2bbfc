"""``cascade-board validate FILE...``: exit 0 when every file loads."""

from __future__ import annotations

import argparse
import sys

from app.commands.common import print_json
from models.errors import BoardLoadError
from models.fileformat import load_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=".cboard file (or a PDF handout)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def execute(args: argparse.Namespace) -> int:
    results = []
    for path in args.files:
        try:
            document = load_path(path)
        except BoardLoadError as error:
            results.append({"file": path, "ok": False, "problems": error.problems})
            if not args.json:
                print(f"{path}: {len(error.problems)} problem(s)", file=sys.stderr)
                for problem in error.problems:
                    print(f"  {problem}", file=sys.stderr)
            continue
        counts = {"nodes": len(document.nodes), "edges": len(document.edges)}
        results.append({"file": path, "ok": True, "problems": [], **counts})
        if not args.json:
            print(f"{path}: ok ({counts['nodes']} nodes, {counts['edges']} edges)")
    if args.json:
        print_json(results)
    return 0 if all(r["ok"] for r in results) else 1
