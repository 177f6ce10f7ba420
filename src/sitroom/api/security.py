"""Who may write, which hosts are served, and which URLs the server may fetch: token, Host and SSRF settings.

Every request must name a host this server serves (`host_refusal`): loopback names, the bound
address and SITROOM_ALLOWED_HOSTS, so a page on another site that rebinds its DNS name to 127.0.0.1
cannot read the API through the user's browser.

Write endpoints (POST /api/ingest) need `Authorization: Bearer $SITROOM_TOKEN`. With no token
configured they are allowed only when the server is bound to a loopback address, and even then
only for requests whose Host is a loopback name and whose Origin (if any) is the server itself,
so a web page in the user's browser cannot post to it (CSRF, DNS rebinding). A server bound to
any other address refuses writes until SITROOM_TOKEN is set.

The settings themselves (`ApiSettings`) are the API's view of `sitroom.config.Settings`.
"""

from __future__ import annotations

import hmac
import ipaddress
import socket
from urllib.parse import urlsplit

from fastapi import Request

from sitroom.api.errors import ApiError
from sitroom.config import ApiSettings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_loopback_host(host: str) -> bool:
    """Whether a bind address or Host name is a loopback one."""
    host = host.strip().lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_of(value: str) -> str:
    """The host part of a Host header or an Origin URL, without the port."""
    if "://" in value:
        return (urlsplit(value).hostname or "").lower()
    if value.startswith("["):
        return value[1 : value.find("]")].lower()
    return value.rsplit(":", 1)[0].lower() if value.count(":") == 1 else value.lower()


WILDCARD_BINDS = frozenset({"0.0.0.0", "::", "[::]", ""})


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def served_hosts(settings: ApiSettings) -> tuple[frozenset[str], tuple[str, ...], bool]:
    """(exact names, domain suffixes, any IP literal) that this server answers to.

    Loopback names, the address it is bound to and SITROOM_ALLOWED_HOSTS. A server bound to every
    address (0.0.0.0, ::) also answers to this machine's own names and to any IP address: a DNS
    rebinding attack always sends the attacker's host *name*, never an address.
    """
    exact = set(LOOPBACK_NAMES) | {settings.host.lower().strip("[]"), settings.host.lower()}
    suffixes = tuple(h for h in settings.allowed_hosts if h.startswith("."))
    exact |= {h.strip("[]") for h in settings.allowed_hosts if not h.startswith(".")}
    wildcard = settings.host.lower() in WILDCARD_BINDS
    if wildcard:
        exact |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(exact), suffixes, wildcard


def host_refusal(host_header: str | None, settings: ApiSettings, served=None) -> str | None:
    """Why a request's Host header is refused (it names a host this server does not serve), or None."""
    if not host_header or "*" in settings.allowed_hosts:
        return None
    host = _host_of(host_header).strip("[]")
    exact, suffixes, any_ip = served or served_hosts(settings)
    if host in exact or (any_ip and _is_ip_literal(host)) or any(host.endswith(s) or host == s[1:] for s in suffixes):
        return None
    return (
        f"this server does not serve the host {host!r} (a DNS-rebinding guard); open it as http://127.0.0.1 or "
        f"add the name to SITROOM_ALLOWED_HOSTS (comma-separated, '.example.org' for a whole domain)"
    )


def require_writer(request: Request) -> None:
    """Dependency for write endpoints: a valid bearer token, or a same-origin loopback request when none is set."""
    settings: ApiSettings = request.app.state.settings
    header = request.headers.get("authorization", "")
    if settings.token:
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given:
            raise ApiError(401, "this endpoint needs 'Authorization: Bearer <token>' with the server's SITROOM_TOKEN")
        if not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
            raise ApiError(401, "the bearer token does not match the server's SITROOM_TOKEN; check the token and retry")
        return
    if not is_loopback_host(settings.host):
        raise ApiError(
            403,
            f"writes are refused on a server bound to {settings.host} without a token: "
            "set SITROOM_TOKEN and send 'Authorization: Bearer <token>', or bind to 127.0.0.1",
        )
    host = _host_of(request.headers.get("host", ""))
    if host and not is_loopback_host(host):
        raise ApiError(403, f"Host {host!r} is not a loopback name; without SITROOM_TOKEN only localhost may write")
    origin = request.headers.get("origin")
    if origin and origin != "null" and not is_loopback_host(_host_of(origin)):
        raise ApiError(403, f"cross-site write from {origin} refused; set SITROOM_TOKEN to allow remote clients")


def blocked_reason(url: str) -> str | None:
    """Why a URL must not be fetched (a non-public address or a bad scheme), or None when it may be."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"{url}: only http and https URLs can be ingested"
    host = parts.hostname
    if not host:
        return f"{url}: the URL has no host"
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        return None  # unresolvable: let the fetcher record it as unreachable
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_reserved or addr.is_multicast or addr.is_unspecified:
            return (
                f"{url} resolves to {addr}, a private, loopback or link-local address; the server refuses such URLs "
                "unless it runs with SITROOM_ALLOW_PRIVATE_ADDRESSES=1"
            )
    return None


def check_urls(urls: list[str], settings: ApiSettings) -> None:
    """Refuse the request when any URL is malformed or points at a non-public address (unless allowed)."""
    if len(urls) > settings.max_urls:
        raise ApiError(400, f"{len(urls)} URLs in one request; send at most {settings.max_urls} per request")
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ApiError(400, f"{url!r} is not an http(s) URL; send page or feed URLs only")
        if settings.allow_private_addresses:
            continue
        reason = blocked_reason(url)
        if reason:
            raise ApiError(403, reason)
