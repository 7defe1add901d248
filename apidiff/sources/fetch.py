"""HTTP GET with a timeout on every request and bounded retries, on the standard library.

urllib reads proxies from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` by itself. Failures another
try may cure (a refused or dropped connection, a timeout, a 5xx, a body cut short) are tried
again after a pause that doubles each time; then, as for any other failure, one FetchError
names the URL and the last reason.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import io
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from typing import IO, TypeVar

from apidiff import __version__
from apidiff.errors import FetchError

_CHUNK = 1 << 16
_T = TypeVar("_T")


class _TransientError(Exception):
    """A failure worth another try, and why."""


class _NotFoundError(Exception):
    """The server answered 404."""


class _PermanentError(Exception):
    """A failure no other try will cure (a 403, say), and why."""


class HttpFetcher:
    """GETs with `timeout` seconds per request and `retries` more tries after a failure."""

    def __init__(self, timeout: float, retries: int, backoff: float) -> None:
        self._timeout = timeout
        self._tries = 1 + max(0, retries)
        self._backoff = backoff
        self._opener = urllib.request.build_opener()
        self._opener.addheaders = [("User-Agent", f"apidiff/{__version__}")]

    def get(self, url: str, spec: str) -> bytes | None:
        """The body at `url`; None where the server says there is nothing (404)."""

        def attempt() -> bytes:
            buffer = io.BytesIO()
            # PyPI's JSON listings are megabytes of text that gzip to a tenth of that.
            with self._open(url, {"Accept-Encoding": "gzip"}) as response:
                _copy_body(response, buffer, None, lambda _received: None)
                if response.headers.get("Content-Encoding", "").lower() != "gzip":
                    return buffer.getvalue()
            try:
                return gzip.decompress(buffer.getvalue())
            except (OSError, EOFError, zlib.error) as error:
                raise _TransientError(f"a damaged gzip answer ({error})") from None

        try:
            return self._with_retries(url, spec, attempt)
        except _NotFoundError:
            return None

    def download(
        self,
        url: str,
        spec: str,
        stream: IO[bytes],
        expected: int | None,
        report: Callable[[int], None],
    ) -> str:
        """Write the body at `url` into `stream` (from its start, whatever an earlier try left
        there); its sha256. `expected` is the size the index announced, where it did."""

        def attempt() -> str:
            stream.seek(0)
            stream.truncate()
            with self._open(url) as response:
                return _copy_body(response, stream, expected, report)

        try:
            return self._with_retries(url, spec, attempt)
        except _NotFoundError:
            raise FetchError(spec, f"could not fetch {url}: HTTP 404 Not Found") from None

    def _open(self, url: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        request = urllib.request.Request(url, headers=headers or {})
        try:
            response: http.client.HTTPResponse = self._opener.open(request, timeout=self._timeout)
            return response
        except urllib.error.HTTPError as error:
            error.close()
            if error.code == 404:
                raise _NotFoundError(url) from None
            reason = f"HTTP {error.code} {error.reason}"
            if error.code >= 500 or error.code in (408, 429):
                raise _TransientError(reason) from None
            raise _PermanentError(reason) from None
        except urllib.error.URLError as error:
            raise _TransientError(self._describe(error.reason)) from None

    def _with_retries(self, url: str, spec: str, attempt: Callable[[], _T]) -> _T:
        for number in range(1, self._tries + 1):
            try:
                return attempt()
            except _PermanentError as failure:
                raise FetchError(spec, f"could not fetch {url}: {failure}") from None
            except _TransientError as failure:
                reason = str(failure)
            # Raised while connecting or reading the body, outside urllib's wrapping.
            except (OSError, http.client.HTTPException) as error:
                reason = self._describe(error)
            if number < self._tries:
                time.sleep(self._backoff * 2 ** (number - 1))
        attempts = f"{self._tries} attempts" if self._tries > 1 else "1 attempt"
        raise FetchError(spec, f"could not fetch {url}: {reason} ({attempts})")

    def _describe(self, error: object) -> str:
        if isinstance(error, TimeoutError) or "timed out" in str(error):
            return f"timed out after {self._timeout:g} s"
        if isinstance(error, http.client.IncompleteRead):
            return f"the connection closed after {len(error.partial)} bytes"
        if isinstance(error, OSError) and error.strerror:
            return error.strerror.lower()
        return str(error) or type(error).__name__


def _copy_body(
    response: http.client.HTTPResponse,
    stream: IO[bytes],
    expected: int | None,
    report: Callable[[int], None],
) -> str:
    """Copy a response body into `stream`; its sha256. _TransientError if it stops short."""
    digest = hashlib.sha256()
    received = 0
    length = response.headers.get("Content-Length")
    announced = int(length) if length and length.isdigit() else None
    while chunk := response.read(_CHUNK):
        stream.write(chunk)
        digest.update(chunk)
        received += len(chunk)
        report(received)
    # http.client hands over a short body without complaint when the server closes early.
    for wanted in (announced, expected):
        if wanted is not None and received < wanted:
            raise _TransientError(f"the download stopped after {received} of {wanted} bytes")
    return digest.hexdigest()
