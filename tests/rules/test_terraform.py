"""rules/terraform.py: strings that reach Terraform as the literal the user wrote."""

from __future__ import annotations

from rules.terraform import literal


def test_literal_escapes_both_template_starts() -> None:
    assert literal('${file("/etc/hostname")} %{ if true }x%{ endif } $ % {}') == '$${file("/etc/hostname")} %%{ if true }x%%{ endif } $ % {}'


def test_literal_leaves_plain_text_alone() -> None:
    assert literal("Versioned ML models (prod)") == "Versioned ML models (prod)"
