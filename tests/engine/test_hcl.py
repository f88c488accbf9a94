"""engine/hcl.py: what cdktf's HCL writer gets wrong, put right."""

from __future__ import annotations

from engine.hcl import completed, escaped, with_bare_ignore_changes, with_required_version
from rules.terraform import REQUIRED_VERSION, literal


def test_escaping_for_the_prebuilt_binding_keeps_terraform_escapes() -> None:
    assert escaped(literal('say "hi" \\ ${x}\nnext')) == 'say \\"hi\\" \\\\ $${x}\\nnext'
    assert escaped("\t\r") == "\\t\\r"


def test_the_hcl_gets_the_required_version_cdktf_cannot_write() -> None:
    assert with_required_version("terraform {\nrequired_providers {\n}\n}\n") == (
        f'terraform {{\nrequired_version = "{REQUIRED_VERSION}"\nrequired_providers {{\n}}\n}}\n'
    )


def test_ignore_changes_name_attributes_bare() -> None:
    written = 'resource "terraform_data" "k" {\nlifecycle {\n  ignore_changes = [\n"input",\n]\n}\n}\n'
    assert with_bare_ignore_changes(written) == 'resource "terraform_data" "k" {\nlifecycle {\n  ignore_changes = [\ninput,\n]\n}\n}\n'
    assert 'ignore_changes = [\ninput,\n]' in completed(written, removed=[])
