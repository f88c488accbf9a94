"""Offline Terraform for the test suite: stand-in providers, harness, launcher."""
