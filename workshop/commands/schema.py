"""``workshop schema``: the JSON Schema of workshop.yaml, for editors and CI.

Printed on stdout (or written with ``--out FILE``). With yaml-language-server (VS Code's YAML
extension, Neovim, Helix …) a first line ``# yaml-language-server: $schema=PATH`` in a
workshop.yaml gives completion, hover help and errors as you type.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workshop.errors import UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``schema`` to the command line."""
    schema = sub.add_parser("schema", help="print the JSON Schema of workshop.yaml")
    schema.add_argument("--out", type=Path, metavar="FILE", help="write it to FILE instead")
    schema.set_defaults(handler=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    """Print (or write) the schema; a file that cannot be written is a message."""
    from workshop.content.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {args.out}", file=sys.stderr)
    return 0
