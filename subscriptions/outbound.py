"""Where senders may connect: public addresses, and internal hosts an administrator listed.

Residents write web push endpoints and staff write webhook URLs, and the
worker posts to them from inside the office network. So an address is
checked twice. When it is saved: special-use names (`localhost`,
`*.internal` …) and addresses that are not public are refused. When a
message goes: the name is resolved, every address it resolves to must be
public, and the connection goes to the address that was checked, so a name
that resolves anew to 127.0.0.1 between the check and the connection
(DNS rebinding) reaches nothing. Each channel has its own list of internal
hosts it may reach nevertheless (`LINLI_WEBHOOK_INTERNAL_HOSTS` for a gateway
inside the office network; `LINLI_PUSH_INTERNAL_HOSTS` for tests only).

Behind a proxy (`HTTPS_PROXY`), the proxy connects and resolves names
itself: the name is checked here, and the proxy must refuse internal
destinations (docs/push.md).
"""

import functools
import ipaddress
import os
import re
import socket
import time
from urllib.parse import unquote, urlsplit

from django.conf import settings

import urllib3
from requests.utils import (
    DEFAULT_CA_BUNDLE_PATH,
    get_auth_from_url,
    get_environ_proxies,
    select_proxy,
)

from subscriptions.channels import DeliveryError, Refused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Names that never lead to a public host (RFC 6761, 6762, 8375, 9476, and
# the private suffixes in common use): refused, however they resolve.
SPECIAL_USE = (
    "localhost",
    "local",
    "internal",
    "localdomain",
    "home.arpa",
    "arpa",
    "test",
    "invalid",
    "example",
    "onion",
    "alt",
    "lan",
    "home",
    "corp",
    "intranet",
    "private",
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
RESOLVED_SECONDS = 60
# Names and origins a sender remembers at most (residents choose them: keep memory bounded).
REMEMBERED = 1024


def address_public(ip: IPAddress) -> bool:
    """True for an address anyone on the internet could reach, and only then.

    An IPv6 address that carries an IPv4 address (IPv4-mapped, 6to4, NAT64)
    is judged by the IPv4 address it leads to.
    """
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_public(embedded)
        if ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def host_normal(host: str) -> str:
    """A host as it is compared: lower case, without trailing dots, international names in ASCII."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def ip_literal(host: str) -> IPAddress | None:
    """The address a host names directly, in any form a resolver reads (`127.1`, `0x7f.1`)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if all(NUMERIC_LABEL.fullmatch(label) for label in host.split(".")):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


@functools.lru_cache(maxsize=16)
def _allowance(entries: tuple[str, ...]) -> tuple[frozenset[str], tuple[Network, ...]]:
    names, networks = set(), []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip().strip("[]"), strict=False))
        except ValueError:
            names.add(host_normal(entry))
    return frozenset(names), tuple(networks)


class Destinations:
    """The hosts one channel may post to; `setting` lists its internal hosts, if any.

    An entry of the list is a host name (trusted whatever it resolves to), an
    address or a network (`10.0.5.0/24`).
    """

    def __init__(self, setting: str, *, schemes: tuple[str, ...]):
        self.setting = setting
        self.schemes = schemes

    def _allowed(self) -> tuple[frozenset[str], tuple[Network, ...]]:
        return _allowance(tuple(getattr(settings, self.setting)))

    def listed(self, ip: IPAddress) -> bool:
        return any(ip in network for network in self._allowed()[1])

    def refusal(self, url: str) -> str | None:
        """Why a message may not go to this URL, judged by the URL alone; None when it may."""
        try:
            parts = urlsplit(url)
            raw_host = parts.hostname
            parts.port  # noqa: B018 - raises on a port out of range
        except ValueError:
            return "not a URL"
        if not raw_host:
            return "no host"
        host = host_normal(raw_host)
        names, _ = self._allowed()
        ip = ip_literal(host)
        internal = host in names or (ip is not None and self.listed(ip))
        # A listed internal host may be plain http (the tests' loopback peers have no certificate).
        if parts.scheme not in self.schemes and not (internal and parts.scheme == "http"):
            return f"scheme {parts.scheme!r} is not allowed"
        if internal:
            return None
        if ip is not None:
            return None if address_public(ip) else f"address {ip} is not public"
        labels = host.split(".")
        if len(labels) < 2:
            return f"{host!r} is not a public name (no domain)"
        if any(host == suffix or host.endswith("." + suffix) for suffix in SPECIAL_USE):
            return f"{host!r} is a special-use name"
        if not all(LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
            return f"{host!r} is not a host name"
        return None

    def resolve(self, host: str, port: int) -> list[IPAddress]:
        """The addresses `host` stands for now (DeliveryError when it cannot be resolved)."""
        ip = ip_literal(host)
        if ip is not None:
            return [ip]
        try:
            answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise DeliveryError(f"cannot resolve {host}: {exc}") from exc
        found = list(dict.fromkeys(ipaddress.ip_address(answer[4][0]) for answer in answers))
        if not found:
            raise DeliveryError(f"{host} resolves to no address")
        return found

    def check(self, host: str, addresses: list[IPAddress]) -> None:
        """Refused unless every address `host` resolved to is public or listed."""
        if host in self._allowed()[0]:
            return
        for address in addresses:
            if not (address_public(address) or self.listed(address)):
                raise Refused(f"{host} resolves to {address}, which is not a public address")


def _ca_bundle() -> dict:
    """The certificates to trust, from the environment as requests reads them."""
    path = (
        os.environ.get("REQUESTS_CA_BUNDLE")
        or os.environ.get("CURL_CA_BUNDLE")
        or DEFAULT_CA_BUNDLE_PATH
    )
    return {"ca_cert_dir": path} if os.path.isdir(path) else {"ca_certs": path}


def _pool_manager(proxy: str | None) -> urllib3.PoolManager:
    options = {"num_pools": 20, "cert_reqs": "CERT_REQUIRED", **_ca_bundle()}
    if not proxy:
        return urllib3.PoolManager(**options)
    username, password = get_auth_from_url(proxy)
    auth = urllib3.make_headers(proxy_basic_auth=f"{username}:{password}") if username else None
    return urllib3.ProxyManager(proxy, proxy_headers=auth, **options)


class Transport:
    """POSTs over kept-alive connections, each to an address checked against `destinations`.

    It talks to urllib3, the HTTP layer of requests, directly: requests' own
    work per request cost more CPU than encrypting a push message. Per
    origin it reads the proxy settings from the environment once
    (`HTTPS_PROXY`, `NO_PROXY` …, and `REQUESTS_CA_BUNDLE`), and it keeps
    what a name resolved to for a minute.
    """

    def __init__(self, destinations: Destinations):
        self.destinations = destinations
        self._resolved: dict[tuple[str, int], tuple[float, list[IPAddress]]] = {}
        self._routes: dict[str, str | None] = {}
        self._managers: dict[str | None, urllib3.PoolManager] = {}

    def close(self):
        for manager in self._managers.values():
            manager.clear()

    def _manager(self, proxy: str | None) -> urllib3.PoolManager:
        if proxy not in self._managers:
            self._managers[proxy] = _pool_manager(proxy)
        return self._managers[proxy]

    def _proxy(self, origin: str) -> str | None:
        if origin not in self._routes:
            if len(self._routes) >= REMEMBERED:
                self._routes.clear()
            self._routes[origin] = select_proxy(origin, get_environ_proxies(origin))
        return self._routes[origin]

    def _addresses(self, host: str, port: int) -> list[IPAddress]:
        now = time.monotonic()
        cached = self._resolved.get((host, port))
        if cached is None or cached[0] < now:
            if len(self._resolved) >= REMEMBERED:
                self._resolved.clear()
            cached = (now + RESOLVED_SECONDS, self.destinations.resolve(host, port))
            self._resolved[(host, port)] = cached
        # Checked on every send, as the settings may have changed since the lookup.
        self.destinations.check(host, cached[1])
        return cached[1]

    def post(self, url: str, *, body: bytes, headers: dict, timeout: float):
        """POST `body` to `url`; Refused when it leads to no allowed host, urllib3's errors else."""
        refusal = self.destinations.refusal(url)
        if refusal:
            raise Refused(refusal)
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        options = {"body": body, "timeout": timeout, "retries": False, "redirect": False}
        if parts.username:
            # Credentials in the URL, sent as requests would send them.
            credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            headers = {**headers, **urllib3.make_headers(basic_auth=credentials)}
        proxy = self._proxy(origin)
        if proxy:
            return self._manager(proxy).urlopen("POST", url, headers=headers, **options)
        host = host_normal(parts.hostname or "")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        shown = f"[{host}]" if ":" in host else host
        headers = {**headers, "Host": f"{shown}:{parts.port}" if parts.port else shown}
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        tls = {"server_hostname": host, "assert_hostname": host} if parts.scheme == "https" else {}
        *others, last = self._addresses(host, port)
        for address in others:
            try:
                return self._post_to(address, port, parts.scheme, target, tls, headers, options)
            except urllib3.exceptions.ConnectTimeoutError:
                continue  # nothing was sent: the name's next address may answer
        return self._post_to(last, port, parts.scheme, target, tls, headers, options)

    def _post_to(self, address, port, scheme, target, tls, headers, options):
        # Pinned: the connection goes to this checked address, not to a new lookup.
        pool = self._manager(None).connection_from_host(str(address), port, scheme, pool_kwargs=tls)
        return pool.urlopen("POST", target, headers=headers, assert_same_host=False, **options)
