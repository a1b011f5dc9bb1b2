"""civic311: an open-source 311 citizen service center."""

__version__ = "0.1.0"
