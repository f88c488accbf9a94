"""The output folder tells the truth: after a synth it holds exactly that synth's stacks.

cdktf writes into its output folder and never cleans it: a stack left over from an
earlier synth (a subset, a removed environment) stays beside the new manifest, and
`synth --hcl` leaves the old `cdk.tf.json` next to the new `cdk.tf`, which `terraform
init` then refuses as duplicate definitions. So the app synthesizes into a staging
folder inside the output folder and publishes from there: each stack's files replace
ours in its folder, stacks no longer built lose our files, and the manifest goes last.
Files we did not write (a `.terraform/` from `terraform init`, a user's notes) stay.

A folder that cannot be written is found before anything is synthesized.
No cdktf here: main.py checks the folder before loading it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from engine import hcl

OUR_FILES = ("cdk.tf.json", "cdk.tf", "metadata.json")
"""What cdktf writes in a stack's folder (JSON: cdk.tf.json; --hcl: cdk.tf and metadata.json)."""
MANIFEST = "manifest.json"


class OutdirError(Exception):
    """The output folder cannot take this synth; the message is one line for the user."""


def prepare(outdir: Path, stack_ids: list[str]) -> Path:
    """A fresh staging folder inside `outdir` for cdktf to write into, once `outdir` is
    known to be writable and no file stands where a stack's folder must go."""
    blocked = [
        path
        for path in (outdir, outdir / "stacks", *(outdir / "stacks" / s for s in stack_ids))
        if path.exists() and not path.is_dir()
    ]
    if blocked:
        raise OutdirError(
            f"{blocked[0]}: a file is in the way of the output folder; move it, or set CDKTF_OUTDIR to another folder"
        )
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".synth-", dir=outdir))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutdirError(
            f"{outdir}: cannot write the output folder ({reason}); set CDKTF_OUTDIR to a folder you can write"
        ) from None


def publish(staging: Path, outdir: Path) -> None:
    """Move the synth in `staging` into `outdir` (the caller discards `staging` after, as it does
    when the synth fails)."""
    manifest = json.loads((staging / MANIFEST).read_text())
    built = set(manifest["stacks"])
    stacks = outdir / "stacks"
    stacks.mkdir(exist_ok=True)
    for stack in sorted(built):
        target = stacks / stack
        target.mkdir(exist_ok=True)
        _remove_ours(target)
        folder = staging / "stacks" / stack
        for source in sorted(folder.iterdir()):
            if source.name == "cdk.tf":
                metadata = folder / "metadata.json"
                removed = (
                    json.loads(metadata.read_text()).get("//", {}).get("metadata", {}).get("removed", {})
                    if metadata.exists()
                    else {}
                )
                source.write_text(hcl.completed(source.read_text(), removed=list(removed)))
            os.replace(source, target / source.name)
    for leftover in sorted(p for p in stacks.iterdir() if p.is_dir() and p.name not in built):
        _remove_ours(leftover)
        if not any(leftover.iterdir()):
            leftover.rmdir()
    os.replace(staging / MANIFEST, outdir / MANIFEST)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def _remove_ours(folder: Path) -> None:
    for name in OUR_FILES:
        (folder / name).unlink(missing_ok=True)
