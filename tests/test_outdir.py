"""The output folder holds exactly the stacks of the last synth, and a folder that cannot
be written is refused in one line before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outdir import with_required_version
from tests.conftest import EXAMPLE_CONFIG, run_main


def files(outdir: Path) -> list[str]:
    return sorted(str(p.relative_to(outdir)) for p in outdir.rglob("*") if p.is_file())


def test_a_subset_synth_removes_stacks_of_earlier_synths_and_keeps_files_we_did_not_write(tmp_path: Path) -> None:
    outdir = tmp_path / "cdktf.out"
    assert run_main(EXAMPLE_CONFIG, outdir, MODEL_REGISTRY_STACKS="dev-oci,prod-oci").ok
    (outdir / "stacks" / "prod-oci" / ".terraform").mkdir()  # a user's `terraform init`
    (outdir / "stacks" / "prod-oci" / ".terraform" / "x").write_text("kept")
    (outdir / "notes.txt").write_text("kept")
    result = run_main(EXAMPLE_CONFIG, outdir, MODEL_REGISTRY_STACKS="dev-oci")
    assert result.ok, result.stderr
    assert files(outdir) == ["manifest.json", "notes.txt", "stacks/dev-oci/cdk.tf.json", "stacks/prod-oci/.terraform/x"]
    assert list(json.loads((outdir / "manifest.json").read_text())["stacks"]) == ["dev-oci"]


def test_an_hcl_synth_leaves_no_json_beside_the_hcl(tmp_path: Path) -> None:
    outdir = tmp_path / "cdktf.out"
    assert run_main(EXAMPLE_CONFIG, outdir, MODEL_REGISTRY_STACKS="dev-oci").ok
    assert run_main(EXAMPLE_CONFIG, outdir, MODEL_REGISTRY_STACKS="dev-oci", SYNTH_HCL_OUTPUT="true").ok
    assert files(outdir) == ["manifest.json", "stacks/dev-oci/cdk.tf", "stacks/dev-oci/metadata.json"]
    assert run_main(EXAMPLE_CONFIG, outdir, MODEL_REGISTRY_STACKS="dev-oci").ok
    assert files(outdir) == ["manifest.json", "stacks/dev-oci/cdk.tf.json"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("file/cdktf.out", "file/cdktf.out: cannot write the output folder (Not a directory); set CDKTF_OUTDIR to a folder you can write"),
        ("file", "file: a file is in the way of the output folder; move it, or set CDKTF_OUTDIR to another folder"),
        ("out/stacks/dev-oci", "out/stacks/dev-oci: a file is in the way of the output folder; move it, or set CDKTF_OUTDIR to another folder"),
    ],
)
def test_an_output_folder_that_cannot_take_the_synth_is_one_line_and_nothing_is_written(tmp_path: Path, where: str, message: str) -> None:
    (tmp_path / "file").write_text("")
    (tmp_path / "out" / "stacks").mkdir(parents=True)
    (tmp_path / "out" / "stacks" / "dev-oci").write_text("")
    outdir = tmp_path / ("out" if where.startswith("out") else where)
    before = files(tmp_path)
    result = run_main(EXAMPLE_CONFIG, outdir, MODEL_REGISTRY_STACKS="dev-oci,prod-oci")
    assert result.returncode == 2
    assert result.stderr == f"{tmp_path}/{message}\n"
    assert files(tmp_path) == before


def test_a_folder_under_proc_is_refused_in_one_line() -> None:
    result = run_main(EXAMPLE_CONFIG, Path("/proc/cdktf.out"), MODEL_REGISTRY_STACKS="dev-oci")
    assert result.returncode == 2
    assert result.stderr.startswith("/proc/cdktf.out: cannot write the output folder (") and result.stderr.count("\n") == 1


def test_the_hcl_gets_the_required_version_cdktf_cannot_write() -> None:
    assert with_required_version('terraform {\nrequired_providers {\n}\n}\n') == (
        'terraform {\nrequired_version = ">= 1.7.0"\nrequired_providers {\n}\n}\n'
    )
