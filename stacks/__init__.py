"""One module per stack: config in, providers, backends, constructs and outputs out."""
