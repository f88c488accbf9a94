"""The checks run by external tools.

The suite's slow external tools (the cdktf CLI, Terraform on every synthesized stack)
start in the background as soon as their inputs exist: tests/terraform/plugin.py. Its
collection hook is registered here, in a folder collected before tests/terraform, so it
applies to the whole session; without it those jobs just start when first needed.
"""

from tests.terraform.plugin import pytest_collection_finish

__all__ = ["pytest_collection_finish"]
