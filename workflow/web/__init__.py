"""The staff web console (`cdv web`): server-rendered pages over the same library as the CLI."""
