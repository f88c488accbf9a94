"""The offline Terraform fixtures and the timing report, for the tests in this folder."""

from tests.terraform.plugin import pytest_terminal_summary, terraform_stack, terraform_toolchain

__all__ = ["pytest_terminal_summary", "terraform_stack", "terraform_toolchain"]
