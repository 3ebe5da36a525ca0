"""Pure domain core: no I/O, no third-party I/O libraries."""
