"""``cascade-board examples [--json]``: the shipped example boards, one line each.

Names are what ``cascade-board new --example NAME -o FILE`` takes; the list is
whatever ``resources/examples/`` holds (``app.examples``).
"""

from __future__ import annotations

import argparse

from app.commands.common import print_json, visible
from app.examples import ALIASES, examples


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print name, title, one-liner and source as JSON")


def execute(args: argparse.Namespace) -> int:
    found = examples()
    if args.json:
        aliases = {target: alias for alias, target in ALIASES.items()}
        print_json([{"name": item.name, "alias": aliases.get(item.name), "title": item.title,
                     "one_liner": item.one_liner, "source": item.source, "file": item.path.name}
                    for item in found])
        return 0
    width = max((len(item.name) for item in found), default=0)
    for item in found:
        print(f"{item.name:<{width}}  {visible(item.one_liner)}")
    print(f"\n{len(found)} examples; start one with: cascade-board new --example NAME -o FILE")
    return 0
