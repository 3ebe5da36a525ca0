"""Survey layers capability: import with checks, reference layers, statistics, export."""
