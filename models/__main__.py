"""``python -m models schema``: print the .cboard JSON Schema (to regenerate
``resources/schema/cboard.schema.json``)."""

from __future__ import annotations

import json
import sys

from models.fileformat import json_schema

if __name__ == "__main__":
    if sys.argv[1:] != ["schema"]:
        sys.exit("usage: python -m models schema > resources/schema/cboard.schema.json")
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
