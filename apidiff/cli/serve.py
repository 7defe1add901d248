"""`apidiff serve DIR`: the site on http://127.0.0.1:PORT, for this machine only."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path
from typing import Any

import click

from apidiff.cli import cli
from apidiff.site.pages import CONTENT_SECURITY_POLICY, HEADER_ONLY_POLICY

LOOPBACK = "127.0.0.1"


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the site's Content-Security-Policy on every answer."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY + HEADER_ONLY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        click.echo(f"{self.address_string()} {format % args}", err=True)


def site_server(root: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A server of `root` bound to the loopback address only (port 0: any free port)."""
    handler = functools.partial(SiteRequestHandler, directory=str(root))
    return http.server.ThreadingHTTPServer((LOOPBACK, port), handler)


@cli.command()
@click.argument(
    "directory", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR"
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(directory: Path, port: int) -> None:
    """Serve a built site on 127.0.0.1 until Ctrl-C; it opens nothing by itself."""
    with site_server(directory, port) as server:
        host, bound = server.server_address[:2]
        try:
            # Inside the try: a Ctrl-C right after the line is printed stops as cleanly.
            click.echo(f"Serving {directory} on http://{host!s}:{bound}/ (Ctrl-C stops)", err=True)
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
