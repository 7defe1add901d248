"""`apidiff serve`: loopback only, the policy header on every answer, a clean stop on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from apidiff.cli.serve import LOOPBACK, site_server
from apidiff.site.pages import CONTENT_SECURITY_POLICY


def test_the_server_answers_on_loopback_with_the_policy_header(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>hello</p>")
    with site_server(tmp_path, 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        host, port = server.server_address[:2]
        assert host == LOOPBACK
        with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/") as answer:
            policy = answer.headers["Content-Security-Policy"]
            assert answer.read() == b"<p>hello</p>"
        server.shutdown()
    assert policy.startswith(CONTENT_SECURITY_POLICY)
    assert "frame-ancestors 'none'" in policy


def test_requests_are_told_to_the_log_given_and_to_nothing_else(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "index.html").write_text("<p>hello</p>")
    lines: list[str] = []
    for log in (None, lines.append):
        with site_server(tmp_path, 0, log) as server:
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            with urllib.request.urlopen(f"http://{LOOPBACK}:{server.server_address[1]}/"):
                pass
            server.shutdown()
    assert capfd.readouterr() == ("", "")
    assert len(lines) == 1
    assert lines[0].startswith(LOOPBACK) and '"GET / HTTP/1.1" 200' in lines[0]


def test_ctrl_c_stops_the_server_cleanly(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "apidiff", "serve", str(tmp_path), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    first = process.stderr.readline()
    assert first.startswith(f"Serving {tmp_path} on http://{LOOPBACK}:")
    process.send_signal(signal.SIGINT)
    rest = process.communicate(timeout=10)[1]
    assert process.returncode == 0
    assert "Traceback" not in rest and "stopped" in rest
