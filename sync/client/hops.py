"""Which URLs the kiosk may fetch: the check made before every request and every redirect hop.

An asset URL comes from the feed, and a redirect's ``Location`` from whatever server answered, so
neither may send the kiosk somewhere its own configuration does not (an asset answering ``302`` to
``http://127.0.0.1:631/admin`` would otherwise make the kiosk call its own printer service). For
one configured feed URL, a :class:`HopPolicy` allows a URL when:

* its scheme is ``https`` (``http`` too only when the configured feed URL itself is ``http``, i.e. a
  local or test server);
* it is the feed's own origin (same host and port as written in the configuration), or every
  address its host resolves to is a public one; a loopback, private, link-local, multicast,
  reserved or unspecified address is allowed only when it is one of the feed host's own addresses
  on the feed's own port.

Redirects are followed one hop at a time (:func:`sync.client.fetch.fetch`), each hop checked here,
at most ``ClientOptions.max_redirects`` of them.
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Callable, Iterable
from urllib.parse import urlsplit

from sync.client.http import SyncError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise SyncError("url_refused", f"cannot resolve {host[:80]}: {exc}") from exc
    return [info[4][0] for info in infos]


def is_public(address: Address) -> bool:
    """True for an address on the open internet (not loopback, private, link-local, multicast...)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _port(parts) -> int:  # noqa: ANN001 - a urllib SplitResult
    try:
        port = parts.port
    except ValueError as exc:
        raise SyncError("url_refused", f"bad port in {parts.geturl()[:80]}") from exc
    return port or (443 if parts.scheme == "https" else 80)


def _address(text: str) -> Address:
    return ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone index


class HopPolicy:
    """The URLs a kiosk configured with ``feed_url`` may fetch (see the module docstring)."""

    def __init__(self, feed_url: str, resolver: Resolver = resolve):
        parts = urlsplit(feed_url)
        self.schemes = frozenset({"https", "http"} if parts.scheme == "http" else {"https"})
        self.host = (parts.hostname or "").lower()
        self.port = _port(parts)
        self.resolver = resolver
        self._feed_addresses: frozenset[Address] | None = None

    def feed_addresses(self) -> frozenset[Address]:
        if self._feed_addresses is None:
            try:
                found = self.resolver(self.host, self.port)
            except SyncError:
                found = []
            self._feed_addresses = frozenset(_address(a) for a in found)
        return self._feed_addresses

    def check(self, url: str) -> None:
        """Raise ``SyncError("url_refused")`` unless the kiosk may fetch ``url``."""
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            raise SyncError("url_refused", f"not a URL: {url[:80]}") from exc
        shown = url[:100]
        if parts.scheme not in self.schemes:
            allowed = " or ".join(sorted(self.schemes))
            raise SyncError("url_refused", f"{shown}: only {allowed} (the feed's own scheme rule)")
        host = (parts.hostname or "").lower()
        if not host:
            raise SyncError("url_refused", f"{shown}: no host")
        port = _port(parts)
        if (host, port) == (self.host, self.port):
            return  # the configured feed server itself
        addresses = [_address(a) for a in self.resolver(host, port)]
        if not addresses:
            raise SyncError("url_refused", f"{shown}: {host} has no address")
        for address in addresses:
            if is_public(address):
                continue
            if address in self.feed_addresses() and port == self.port:
                continue
            raise SyncError("url_refused", f"{shown}: {host} is {address}, not a public address "
                                           "(only the feed server's own may be local)")
