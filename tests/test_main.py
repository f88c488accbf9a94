"""main.py end to end, in a subprocess, as `make synth` and the cdktf CLI run it."""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.addresses import resources
from tests.commands import run_command
from tests.conftest import EXAMPLE_CONFIG, EXAMPLE_STACKS, ROOT, Json, Synth, read_stacks, run_main


def test_good_config_exits_0_and_writes_each_stack(example_synth: Synth) -> None:
    result, outdir = example_synth
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == ["dev-gcp", "dev-oci", "prod-gcp", "prod-oci"]
    manifest = json.loads((outdir / "manifest.json").read_text())
    assert sorted(manifest["stacks"]) == ["dev-gcp", "dev-oci", "prod-gcp", "prod-oci"]
    assert "Traceback" not in result.stderr
    assert "end-of-life" not in result.stderr + result.stdout


def test_bad_config_exits_2_with_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "prod.yaml"
    config.write_text(
        "name: ml-models\n"
        "environments:\n"
        "  prod:\n"
        "    gcp:\n"
        "      project: acme-ml-prod\n"
        "      region: us-central1\n"
        "      repositories:\n"
        "        - id: models\n"
        "          cleanup: {delete_older_than: 3 months}\n"
        "        - id: Bad_Id\n"
    )
    outdir = tmp_path / "cdktf.out"
    result = run_main(config, outdir)
    assert result.returncode == 2
    # One line per problem, each naming the file and the path (the texts: tests/specs, tests/config).
    lines = result.stderr.splitlines()
    assert [line.split(": ")[:2] for line in lines] == [
        [str(config), "environments.prod.gcp.repositories[0].cleanup.delete_older_than"],
        [str(config), "environments.prod.gcp.repositories[1].id"],
    ]
    assert "(got '3 months')" in lines[0] and "(got 'Bad_Id')" in lines[1]
    assert result.stdout == ""
    assert not outdir.exists()


def test_bad_config_leaves_an_existing_output_folder_untouched(tmp_path: Path) -> None:
    outdir = tmp_path / "cdktf.out"
    (outdir / "stacks" / "prod-gcp").mkdir(parents=True)
    kept = outdir / "stacks" / "prod-gcp" / "cdk.tf.json"
    kept.write_text("{}")
    result = run_main(tmp_path / "missing.yaml", outdir)
    assert result.returncode == 2
    assert "missing.yaml: no such file" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in outdir.rglob("*")] == ["stacks", "prod-gcp", "cdk.tf.json"] and kept.read_text() == "{}"


def test_synth_needs_no_terraform_binary(tmp_path: Path) -> None:
    # cdktf's CloudBackend and import_from run `terraform version` at synth; ours must not.
    from tests.conftest import FULL_CONFIG

    outdir = tmp_path / "out"
    result = run_main(FULL_CONFIG, outdir, PATH="/usr/bin:/bin", MODEL_REGISTRY_STACKS="staging-oci,tagged-oci,research-oci")
    assert result.returncode == 0, result.stderr
    stack = json.loads((outdir / "stacks" / "staging-oci" / "cdk.tf.json").read_text())
    assert stack["terraform"]["cloud"]["workspaces"] == {"name": "acme-models-staging-oci", "project": "ml-platform"}
    assert len(stack["import"]) == 1  # the adopted bucket (its lifecycle policy is written, never imported)


def test_a_bad_config_is_refused_before_cdktf_or_node_start(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("name: ml\nenvironments: {dev: {gcp: {project: Bad, region: us, repositories: [{id: m}]}}}\n")
    probe = "import sys, main\nrc = main.main()\nprint('loaded', sorted(m for m in ('jsii', 'cdktf', 'constructs') if m in sys.modules))\nsys.exit(rc)\n"
    environ = {**os.environ, "MODEL_REGISTRY_CONFIG": str(config), "CDKTF_OUTDIR": str(tmp_path / "out")}
    result = run_command([sys.executable, "-c", probe], cwd=ROOT, env=environ)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{config}: environments.dev.gcp.project: "), result.stderr
    assert result.stdout.strip() == "loaded []"


def test_the_table_of_clouds_has_a_stack_for_every_section() -> None:
    import main
    from config.models import CLOUDS

    assert tuple(main.STACKS) == CLOUDS == ("gcp", "oci")


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_says_what_it_does_and_synthesizes_nothing(tmp_path: Path, flag: str) -> None:
    result = run_command([sys.executable, str(ROOT / "main.py"), flag], cwd=tmp_path, env={**os.environ, "CDKTF_OUTDIR": str(tmp_path / "out")})
    assert result.returncode == 0
    for needed in ("MODEL_REGISTRY_CONFIG", "MODEL_REGISTRY_STACKS", "CDKTF_OUTDIR", "Exit status", "--check", "--quiet"):
        assert needed in result.stdout
    assert not (tmp_path / "out").exists()


def test_an_unknown_argument_is_an_error_not_a_synth(tmp_path: Path) -> None:
    result = run_command([sys.executable, str(ROOT / "main.py"), "--hcl"], cwd=tmp_path, env={**os.environ, "CDKTF_OUTDIR": str(tmp_path / "out")})
    assert result.returncode == 2
    assert result.stderr.startswith("main.py: unknown argument '--hcl'")
    assert not (tmp_path / "out").exists()


# The summary after a synth (standard error), --quiet, and --check


EXAMPLE_OUTPUTS = {
    "dev-gcp": "repositories; models_* (address, format, id, location, project, url)",
    "dev-oci": "buckets; ml-models-dev_* (bucket_id, endpoint, name, namespace, region)",
    "prod-gcp": "repositories; models_*, serving-images_* (address, format, id, location, project, url)",
    "prod-oci": "buckets; machine-learning-models_* (bucket_id, endpoint, name, namespace, region)",
}


def test_synth_prints_a_row_per_stack_on_stderr_and_nothing_on_stdout(example_synth: Synth) -> None:
    result, outdir = example_synth
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    # Each stack's row, then (indented) what each of its entries becomes: the specs' tests say how.
    stack_lines = [line for line in result.stderr.splitlines() if not line.startswith("      ")]
    *rows, total = [re.sub(r"\s+", " ", line.strip()) for line in stack_lines]
    expected = []
    for stack in ("dev-gcp", "dev-oci", "prod-gcp", "prod-oci"):  # the config's order
        # What the stack must hold comes from the pinned addresses, not from the JSON itself.
        kinds = Counter(address.split(".")[0] for address in resources("example", stack))
        count = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        expected.append(
            f"{stack} {outdir}/stacks/{stack}/cdk.tf.json local {outdir.parent}/state/ml-models/{stack}.tfstate"
            f" {sum(kinds.values())} resources: {count}; outputs: {EXAMPLE_OUTPUTS[stack]}"
        )
    assert rows == expected
    total_resources = sum(len(resources("example", stack)) for stack in EXAMPLE_STACKS)
    # The config as given, from the folder main.py runs in (the repository).
    assert re.fullmatch(rf"Synthesized config/example.yaml: 4 stacks, {total_resources} resources, into {outdir} in \d+\.\d s\.", total), total


def test_quiet_prints_nothing_and_writes_the_same_stack(tmp_path: Path, example_stacks: dict[str, Json]) -> None:
    result = run_main(EXAMPLE_CONFIG, tmp_path / "out", "--quiet", MODEL_REGISTRY_STACKS="dev-oci")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert read_stacks(tmp_path / "out") == {"dev-oci": example_stacks["dev-oci"]}  # nothing of the summary in the file


def test_the_summary_of_an_hcl_synth_names_its_file(tmp_path: Path) -> None:
    result = run_main(EXAMPLE_CONFIG, tmp_path / "out", MODEL_REGISTRY_STACKS="dev-oci", SYNTH_HCL_OUTPUT="true")
    assert result.returncode == 0, result.stderr
    row = result.stderr.splitlines()[0].split()
    assert row[:2] == ["dev-oci", f"{tmp_path}/out/stacks/dev-oci/cdk.tf"]
    assert (tmp_path / "out" / "stacks" / "dev-oci" / "cdk.tf").exists()
    assert " ".join(row[4:6]) == f"{len(resources('example', 'dev-oci'))} resources:"


CHECK_PROBE = (
    "import sys, main\n"
    "rc = main.main(['--check'])\n"
    "print('loaded', sorted(m for m in sys.modules if m.split('.')[0] in ('jsii', 'cdktf', 'cdktn', 'constructs', 'bindings')))\n"
    "sys.exit(rc)\n"
)


def check(config: Path, outdir: Path, **env: str) -> tuple[int, list[str], str]:
    """`main.main(['--check'])` in a fresh interpreter: exit status, its stdout lines, its stderr."""
    environ = {**os.environ, "MODEL_REGISTRY_CONFIG": str(config), "CDKTF_OUTDIR": str(outdir), **env}
    result = run_command([sys.executable, "-c", CHECK_PROBE], cwd=ROOT, env=environ)
    return result.returncode, result.stdout.splitlines(), result.stderr


def test_check_prints_what_would_be_built_and_loads_neither_cdktf_nor_node(tmp_path: Path) -> None:
    returncode, lines, stderr = check(EXAMPLE_CONFIG, tmp_path / "out", MODEL_REGISTRY_STACKS="prod-gcp,dev-oci")
    assert (returncode, stderr) == (0, "")
    out = tmp_path / "out"
    entries = [line.strip().partition(":")[0] for line in lines if line.startswith("      ")]
    assert entries == ["bucket ml-models-dev", "repository models", "repository serving-images"]  # each entry, under its stack
    lines = [line for line in lines if not line.startswith("      ")]
    assert [re.sub(r"\s+", " ", line.strip()) for line in lines] == [
        f"config/example.yaml: 2 stacks of ml-models would be built into {out}/stacks:",
        f"dev-oci {out}/stacks/dev-oci local {tmp_path}/state/ml-models/dev-oci.tfstate 1 bucket in us-ashburn-1: ml-models-dev",
        f"prod-gcp {out}/stacks/prod-gcp local {tmp_path}/state/ml-models/prod-gcp.tfstate"
        " 2 repositories in acme-ml-prod/us-central1: models, serving-images",
        "Config valid; nothing written (run without --check to synthesize).",
        "loaded []",
    ]
    assert not out.exists()


def test_check_exits_2_with_every_problem_of_the_config_or_the_selection(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("name: ml\nenvironments: {dev: {gcp: {project: Bad, region: us, repositories: [{id: m}]}}}\n")
    returncode, lines, stderr = check(config, tmp_path / "out")
    assert (returncode, lines) == (2, ["loaded []"])
    (line,) = stderr.splitlines()
    assert line.startswith(f"{config}: environments.dev.gcp.project: "), stderr
    returncode, lines, stderr = check(EXAMPLE_CONFIG, tmp_path / "out", MODEL_REGISTRY_STACKS="prod-gpc")
    assert (returncode, lines) == (2, ["loaded []"])
    assert stderr.startswith("MODEL_REGISTRY_STACKS: "), stderr  # the text: test_secrets_and_selection.py
