"""Every YAML recipe of the README and docs/ is a config that loads and synthesizes.

A recipe is a part of an environment (`environments.<env>`): each is loaded on its own, so a
broken one is named by its file and line, then all of them are synthesized together, once, as
the environments of one config (main.py costs seconds per run, not per recipe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from config.loader import ConfigError, load_config
from config.models import Environment
from tests.conftest import ROOT, run_main

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "CONTRIBUTING.md"]
README_FEATURES = {"cleanup", "remote", "virtual", "audit_logs", "adopt", "replication", "access", "workspace_tags"}
"""What the README shows a recipe for: its keys, each in at least one of its recipes."""


@dataclass(frozen=True)
class Recipe:
    document: Path
    line: int
    text: str

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"

    @property
    def environment(self) -> str:
        """Its environment's name in the config of every recipe: the document's and its number."""
        same = [recipe for recipe in RECIPES if recipe.document == self.document]
        return f"{self.document.stem.lower()[:12]}-{same.index(self) + 1}"

    def fragment(self) -> dict[str, Any]:
        data = yaml.safe_load(self.text)
        assert isinstance(data, dict) and set(data) <= set(Environment.model_fields), (
            f"{self.where}: a recipe is a part of an environment, with keys among {sorted(Environment.model_fields)}"
        )
        if not {"gcp", "oci"} & set(data):
            # A recipe of the environment's other keys (a backend) gets the smallest cloud section.
            data["oci"] = {"region": "us-ashburn-1", "compartment_id": COMPARTMENT, "home_region": "us-ashburn-1", "buckets": [{"name": f"{self.environment}-models"}]}
        return data


COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaarecipesexampleexampleexampleexample"


def recipes_in(document: Path) -> list[Recipe]:
    text = document.read_text(encoding="utf-8")
    return [
        Recipe(document, text.count("\n", 0, match.start()) + 2, match.group(1))
        for match in re.finditer(r"^```yaml\n(.*?)^```$", text, re.S | re.M)
    ]


RECIPES = [recipe for document in DOCUMENTS for recipe in recipes_in(document)]


def config_of(recipes: list[Recipe]) -> dict[str, Any]:
    return {"name": "recipes", "environments": {recipe.environment: recipe.fragment() for recipe in recipes}}


def apart(config: dict[str, Any]) -> dict[str, Any]:
    """`config` with each environment's GCP project its own: recipes written for one project would
    otherwise all own its APIs and key grants, which a config refuses (one owner per project)."""
    for index, environment in enumerate(config["environments"].values()):
        if "gcp" in environment:
            environment["gcp"]["project"] = f"{environment['gcp']['project'][:22]}-r{index}"
    return config


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "recipes.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda recipe: recipe.where)
def test_each_recipe_is_a_valid_environment(recipe: Recipe, tmp_path: Path) -> None:
    try:
        load_config(write(tmp_path, config_of([recipe])))
    except ConfigError as error:
        pytest.fail(f"{recipe.where}: {error}")


def test_the_readme_has_a_recipe_for_each_feature() -> None:
    readme = [recipe for recipe in RECIPES if recipe.document.name == "README.md"]

    def keys(node: Any) -> set[str]:
        if isinstance(node, dict):
            return {str(key) for key in node} | {key for value in node.values() for key in keys(value)}
        return {key for value in node for key in keys(value)} if isinstance(node, list) else set()

    assert README_FEATURES - {key for recipe in readme for key in keys(yaml.safe_load(recipe.text))} == set()


def test_every_recipe_synthesizes_together_in_one_run(tmp_path: Path) -> None:
    config = write(tmp_path, apart(config_of(RECIPES)))
    load_config(config)  # recipes that fight over one repository or bucket are named here
    outdir = tmp_path / "cdktf.out"
    result = run_main(config, outdir, "--quiet")
    assert result.returncode == 0, result.stderr
    built = {path.name for path in (outdir / "stacks").iterdir()}
    expected = {f"{recipe.environment}-{cloud}" for recipe in RECIPES for cloud in ("gcp", "oci") if cloud in recipe.fragment()}
    assert built == expected
