"""`apidiff serve DIR`: the site on http://127.0.0.1:PORT, for this machine only."""

from __future__ import annotations

import functools
import http.server
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from apidiff.cli import cli
from apidiff.site.pages import CONTENT_SECURITY_POLICY, HEADER_ONLY_POLICY

LOOPBACK = "127.0.0.1"


class SiteServer(http.server.ThreadingHTTPServer):
    """A server of a site's folder, bound to the loopback address only; each request is told
    to `log` where one is given (the command's stderr), and to nothing otherwise."""

    def __init__(self, root: Path, port: int, log: Callable[[str], None] | None = None) -> None:
        self.request_log = log
        handler = functools.partial(SiteRequestHandler, directory=str(root))
        super().__init__((LOOPBACK, port), handler)


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the site's Content-Security-Policy on every answer."""

    server: SiteServer

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY + HEADER_ONLY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.request_log is not None:
            self.server.request_log(f"{self.address_string()} {format % args}")


def site_server(root: Path, port: int, log: Callable[[str], None] | None = None) -> SiteServer:
    """A server of `root` on the loopback address (port 0: any free port), telling each
    request to `log` where given."""
    return SiteServer(root, port, log)


@cli.command()
@click.argument(
    "directory", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR"
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(directory: Path, port: int) -> None:
    """Serve a built site on 127.0.0.1 until Ctrl-C; it opens nothing by itself."""
    with site_server(directory, port, log=_to_stderr) as server:
        host, bound = server.server_address[:2]
        try:
            # Inside the try: a Ctrl-C right after the line is printed stops as cleanly.
            click.echo(f"Serving {directory} on http://{host!s}:{bound}/ (Ctrl-C stops)", err=True)
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("stopped", err=True)


def _to_stderr(line: str) -> None:
    click.echo(line, err=True)
