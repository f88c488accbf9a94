"""engine/node.py: jsii runs on the pinned Node 22 whichever product module a process imports first."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from engine import node
from tests.conftest import ROOT


@pytest.mark.parametrize("module", ["constructs.model_bucket", "stacks.oci_stack", "bindings.oci"])
def test_a_fresh_process_starts_jsii_on_the_pinned_node(module: str) -> None:
    # Nothing chosen beforehand, and a PATH whose first node is not the pinned one (the
    # machine's, which jsii warns about): only the venv's start-up file can choose.
    environ = {key: value for key, value in os.environ.items() if key != "JSII_NODE"}
    environ["PATH"] = os.pathsep.join(p for p in environ["PATH"].split(os.pathsep) if "node_modules" not in p)
    script = f"import {module}, os; print(os.environ.get('JSII_NODE'))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(node.PINNED_NODE)
    assert "end-of-life" not in result.stderr and "not supported" not in result.stderr, result.stderr
