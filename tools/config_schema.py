"""Write config/schema.json, the JSON Schema of the config file, from the models in config/models.py.

    .venv/bin/python tools/config_schema.py           # rewrite config/schema.json
    .venv/bin/python tools/config_schema.py --check   # exit 1 if the checked-in file differs

Editors read it to complete keys, show each field's description on hover and underline unknown
keys, wrong types and values outside an enum as you type (VS Code's YAML extension: a
`# yaml-language-server: $schema=schema.json` line at the top of a config). It describes the
shape only: names, OCIDs, durations and cross-field rules are the loader's, which stays the judge.

Needs pydantic (the app's .venv); imports config/, which never starts cdktf or jsii.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_NAME = "config/schema.json"
SCHEMA = ROOT / SCHEMA_NAME
COMMAND = ".venv/bin/python tools/config_schema.py"


def schema() -> dict[str, Any]:
    """The config file's JSON Schema (draft 2020-12), as editors take it."""
    from config.models import AppConfig  # here: run as a script, __main__ first puts the app on the path

    generated = AppConfig.model_json_schema(mode="validation")
    return {
        **generated,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Generated from config/models.py by {COMMAND}: change the models, not this file.",
        "title": "Model registry config",
        "description": "One Terraform stack per environment and cloud; every key is in docs/config-reference.md.\n\n"
        + generated.get("description", ""),
        # AppConfig drops top-level `x-` keys before validating (a place for YAML anchors);
        # additionalProperties would refuse them.
        "patternProperties": {"^x-": {}},
    }


def render() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the checked-in file, write nothing")
    args = parser.parse_args(argv)
    return write_or_check(SCHEMA, render(), check=args.check, name=SCHEMA_NAME, command=COMMAND)


def write_or_check(path: Path, text: str, *, check: bool, name: str, command: str) -> int:
    """Write a file generated from config/models.py, or with `check` only say (exit 1) that it is stale."""
    if not check:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return 0
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        print(f"stale: {name} differs from config/models.py; run {command}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    # Run as a script, Python puts tools/ first on the path: the app's packages are one up.
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
