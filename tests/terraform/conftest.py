"""The offline Terraform fixtures, for the tests in this folder."""

from tests.terraform.plugin import terraform_stack, terraform_toolchain

__all__ = ["terraform_stack", "terraform_toolchain"]
