"""A loopback HTTP server for the input tests: invented pages and feeds, with real HTTP
behaviour (ETag/Last-Modified and 304, redirects, errors, slow and huge bodies)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    statuses: list[int] = field(default_factory=list)  # served first, one per request, then 200
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # a redirect
    drip: float = 0.0  # seconds between 1 KB chunks
    size: int | None = None  # stream this many bytes of filler instead of ``body``
    retry_after: str | None = None  # sent with the ``statuses`` answers


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)  # path, status, hdrs
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[int]:
        return [status for p, status, _ in self.log if p == path]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            route = site.routes.get(self.path)
            if route is None:
                return self._send(404, b"not found", "text/plain", headers)
            if route.statuses:
                extra = {"Retry-After": route.retry_after} if route.retry_after else {}
                return self._send(
                    route.statuses.pop(0), b"try later", "text/plain", headers, extra=extra
                )
            if route.location:
                self.log_request_to_site(302, headers)
                self.send_response(302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            fresh = (route.etag and headers.get("if-none-match") == route.etag) or (
                route.last_modified and headers.get("if-modified-since") == route.last_modified
            )
            if fresh:
                return self._send(304, b"", None, headers, route)
            if route.size is not None:
                return self._stream(route, headers)
            return self._send(200, route.body, route.content_type, headers, route)

        def log_request_to_site(self, status: int, headers: dict[str, str]) -> None:
            site.log.append((self.path, status, headers))

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            headers: dict[str, str],
            route: Route | None = None,
            extra: dict[str, str] | None = None,
        ) -> None:
            self.log_request_to_site(status, headers)
            self.send_response(status)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            if content_type:
                self.send_header("Content-Type", content_type)
            if route and route.etag:
                self.send_header("ETag", route.etag)
            if route and route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                if route and route.drip:
                    for i in range(0, len(body), 1024):
                        self.wfile.write(body[i : i + 1024])
                        self.wfile.flush()
                        time.sleep(route.drip)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _stream(self, route: Route, headers: dict[str, str]) -> None:
            """A big body without Content-Length (chunked), so only the reader's cap stops it."""
            self.log_request_to_site(200, headers)
            self.send_response(200)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_000 + b"</p>"
            sent = 0
            try:
                while sent < (route.size or 0):
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    sent += len(chunk)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
