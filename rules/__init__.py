"""Pure rules: naming, formats, durations, OCIDs, statements. Imports nothing of ours, nor cdktf or jsii."""
