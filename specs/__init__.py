"""What a user chooses, one spec per construct: frozen, strict pydantic models (no cdktf, no jsii)."""
