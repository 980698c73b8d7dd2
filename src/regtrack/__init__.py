"""regtrack: a command-line tracker of regulatory compliance deadlines."""

__version__ = "0.2.0"
