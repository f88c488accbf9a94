"""The floor app plus the google modules a GCP synth loads (bindings/google.py), nothing built.

Since bindings/google.py skips the binding's package __init__, this, not the whole
binding, is what any GCP stack pays before it builds anything.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from floor_app import main

import bindings.google  # noqa: F401

if __name__ == "__main__":
    main()
