"""HTML renderers for the sandbox's directory sites, one module per site."""
