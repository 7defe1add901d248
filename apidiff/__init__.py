"""apidiff: what changed between two versions of an AWS service model."""

__version__ = "0.1.0"
