"""Where resources come from: each source parses its format and validates with the core rules."""
