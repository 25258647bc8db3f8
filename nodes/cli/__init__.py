"""The curator's command line, ``python -m nodes``."""
