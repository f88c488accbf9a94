"""No secret reaches cdk.tf.json, and MODEL_REGISTRY_STACKS builds only what it names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import engine
from config.backends import SECRET_HINTS
from tests.conftest import EXAMPLE_CONFIG, FULL_CONFIG, ROOT, read_stacks, run_main

# Credentials a user may well have exported where they synthesize.
SECRETS = {
    "TF_TOKEN_app_terraform_io": "tfc-token-0123456789abcdef",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEACCESSKEY",
    "AWS_SECRET_ACCESS_KEY": "s3cr3t/EXAMPLE+secretaccesskey",
    "GOOGLE_OAUTH_ACCESS_TOKEN": "ya29.example-oauth-token",
    "OCI_PRIVATE_KEY_PASSWORD": "oci-key-passphrase-example",
}
SECRET_ARGUMENTS = set(SECRET_HINTS) | {"private_key_password", "sse_customer_key"}


def test_no_secret_from_the_environment_lands_in_the_output(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    result = run_main(FULL_CONFIG, outdir, MODEL_REGISTRY_STACKS="staging-oci,oci-state-oci,tagged-oci", **SECRETS)
    assert result.returncode == 0, result.stderr
    text = "\n".join(p.read_text() for p in outdir.rglob("*") if p.is_file())
    assert [name for name, value in SECRETS.items() if value in text] == []
    for stack_id, stack in read_stacks(outdir).items():
        assert [key for key in _keys(stack) if key in SECRET_ARGUMENTS] == [], stack_id


def test_selection_builds_only_the_named_stacks_without_the_google_binding(tmp_path: Path) -> None:
    probe = (
        "import runpy, sys\n"
        "try:\n    runpy.run_path('main.py', run_name='__main__')\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "print('google binding loaded:', any('_provider_google' in m for m in sys.modules))\n"
        "sys.exit(code)\n"
    )
    outdir = tmp_path / "out"
    environ = {**os.environ, "MODEL_REGISTRY_CONFIG": str(EXAMPLE_CONFIG), "CDKTF_OUTDIR": str(outdir), "MODEL_REGISTRY_STACKS": "prod-oci, dev-oci"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(read_stacks(outdir)) == ["dev-oci", "prod-oci"]
    assert "google binding loaded: False" in result.stdout


def test_unknown_stack_is_an_error_listing_the_known_ones(tmp_path: Path) -> None:
    result = run_main(EXAMPLE_CONFIG, tmp_path / "out", MODEL_REGISTRY_STACKS="prod-oci,prod-aws")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "MODEL_REGISTRY_STACKS: unknown stack (got 'prod-aws'); known stacks: dev-gcp, dev-oci, prod-gcp, prod-oci"
    )
    assert not (tmp_path / "out").exists()


def _keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [k for key, v in value.items() for k in [key, *_keys(v)]]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def test_a_gcp_synth_loads_only_the_google_modules_it_uses(tmp_path: Path) -> None:
    # bindings/google.py skips the binding's package __init__ (all ~1,470 resource modules).
    probe = (
        "import runpy, sys\n"
        "try:\n    runpy.run_path('main.py', run_name='__main__')\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        f"print(sorted(m for m in sys.modules if m.startswith('{engine.GOOGLE_PACKAGE}')))\n"
        "sys.exit(code)\n"
    )
    environ = {**os.environ, "MODEL_REGISTRY_CONFIG": str(EXAMPLE_CONFIG), "CDKTF_OUTDIR": str(tmp_path / "out"), "MODEL_REGISTRY_STACKS": "prod-gcp"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    loaded = eval(result.stdout.strip().splitlines()[-1])
    # google-beta's one resource comes from bindings/google_beta.py: no prebuilt google-beta package.
    assert all(m == engine.GOOGLE_PACKAGE or m.startswith(engine.GOOGLE_PACKAGE + ".") for m in loaded), loaded
    assert {m.split(".")[1] for m in loaded if "." in m} - {"_jsii", "_private"} == {
        "artifact_registry_repository",
        "artifact_registry_repository_iam_member",
        "artifact_registry_repository_iam_policy",
        "data_google_iam_policy",
        "data_google_project",
        "kms_crypto_key_iam_member",
        "project_iam_audit_config",
        "project_service",
        "provider",
        "secret_manager_secret_iam_member",
    }
