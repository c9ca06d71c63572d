"""The self-check page's HTTP server: waitress, set so that one client cannot take it down.

Waitress reads each request whole on its event loop before a worker thread sees it, so slow
clients hold sockets, never threads. What one client could still exhaust is bounded here:
- a body larger than the page accepts is refused (413) from its Content-Length, before it is
  read or spooled (waitress's own default would spool up to 1 GiB to disk first);
- an idle or trickling connection is closed after `channel_timeout` seconds of silence;
- one address holds at most `per_client` connections, so 150 idle sockets from one machine
  leave room for everyone else (the trusted proxy, which speaks for everyone, is exempt:
  behind a proxy, cap connections per client there, see docs/selfcheck.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 4
    connection_limit: int = 500  # sockets in all; waitress stops accepting beyond this
    per_client: int = 20  # sockets from one address
    channel_timeout: int = 20  # seconds of silence before a connection is closed
    trusted_proxy: str | None = None  # the reverse proxy's address, whose forwarded header is believed
    trusted_proxy_header: str = "x-forwarded-for"  # or "forwarded"


class CappedServer(TcpWSGIServer):
    """TcpWSGIServer with a cap on connections per client address."""

    per_client = 20
    exempt: frozenset[str] = frozenset()

    def refuses(self, addr: Any) -> bool:
        """Whether a new connection from `addr` would pass this address's cap."""
        host = addr[0] if isinstance(addr, tuple) else str(addr)
        if host in self.exempt:
            return False
        channels: dict[int, Any] = self.active_channels  # type: ignore[assignment]  # the stubs mistype it
        return sum(1 for channel in list(channels.values()) if channel.addr and channel.addr[0] == host) >= self.per_client


    def stop(self, timeout: int = 5) -> None:
        """Stop serving, from another thread: every socket is closed on the loop's own thread (a
        socket closed under a running select would fail it), then the worker threads end."""

        loop: Any = self  # waitress's stubs leave out the socket map and mistype the trigger

        def close_all() -> None:
            for dispatcher in list(loop._map.values()):
                dispatcher.close()

        loop.trigger.pull_trigger(close_all)
        self.task_dispatcher.shutdown(timeout=timeout)


class CappedChannel(HTTPChannel):
    """A connection, or none: waitress makes one per accepted socket and keeps only those that register."""

    def __init__(self, server: Any, sock: Any, addr: Any, adj: Any, map: Any = None) -> None:  # noqa: A002 (waitress's name)
        if isinstance(server, CappedServer) and server.refuses(addr):
            sock.close()
            return
        super().__init__(server, sock, addr, adj, map=map)


CappedServer.channel_class = CappedChannel


def make_server(app: Flask, settings: ServerSettings, max_request_bytes: int) -> CappedServer:
    """A bound, listening server; `.run()` serves until interrupted, `.close()` stops it."""
    proxy: dict[str, Any] = {}
    if settings.trusted_proxy:
        proxy = {"trusted_proxy": settings.trusted_proxy, "trusted_proxy_headers": {settings.trusted_proxy_header},
                 "trusted_proxy_count": 1, "clear_untrusted_proxy_headers": True}
    server = CappedServer(
        app, map={}, host=settings.host, port=settings.port, threads=settings.threads,
        connection_limit=settings.connection_limit, channel_timeout=settings.channel_timeout,
        cleanup_interval=max(1, settings.channel_timeout // 4), max_request_body_size=max_request_bytes,
        inbuf_overflow=max_request_bytes, ident="grader", expose_tracebacks=False, **proxy,
    )
    server.per_client = settings.per_client
    server.exempt = frozenset({settings.trusted_proxy} if settings.trusted_proxy else ())
    return server
