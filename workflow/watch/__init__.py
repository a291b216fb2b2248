"""Always on: the watched inbox feeding the same pipeline as `cdv ingerer`."""
