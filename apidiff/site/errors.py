"""The failure family of the site builder."""

from __future__ import annotations

from apidiff.errors import ApidiffError


class SiteError(ApidiffError):
    """A site that cannot be built: a bad output folder, release range or stored Report."""
