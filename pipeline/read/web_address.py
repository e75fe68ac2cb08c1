"""A site's web address (`base_url` in site.yaml): printed on every leaflet, drawn in its QR code,
and written into every page, so it must be a plain http(s) address that hides nothing.

`check` refuses, naming what is wrong: another scheme, a user name or password, a query or
fragment (each page's address adds '<slug>.html'), a host that is neither a name nor an IP address,
a bad port, and a path with spaces, quotes, angle brackets, backslashes or hidden characters,
typed or %-encoded.
"""

from __future__ import annotations

import ipaddress
import re
import reprlib

from . import characters, limits

_URL = re.compile(r"^https?://(?P<authority>[^/?#]*)(?P<path>.*)$", re.IGNORECASE | re.DOTALL)
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)
_PATH = re.compile(r"^(?:/(?:[a-z0-9\-._~!$&()*+,;=:@]|%[0-9a-f]{2})*)*$", re.IGNORECASE)
"""RFC 3986's path-abempty, without the quote "'" (the address is also written into HTML)."""
_HIDDEN_IN_ESCAPES = re.compile(r"[\s\"'<>\\`]")

_SHORT = reprlib.Repr()
_SHORT.maxstring = 60


def _show(address: str) -> str:
    return _SHORT.repr(address)


def check(address: str) -> None:
    """Raise ValueError, its message completing "base_url must be …", unless `address` is a site's
    address: http or https, a host name or IP address, a port if any, a path; nothing else."""
    if len(address) > limits.MAX_ADDRESS_CHARACTERS:
        raise ValueError(f"an address of at most {limits.MAX_ADDRESS_CHARACTERS} characters, not {len(address):,}")
    if problem := characters.refused_in_address(address):
        raise ValueError(f"an address without hidden characters, not one with {problem}")
    match = _URL.match(address)
    if not match:
        raise ValueError(f"an http:// or https:// address, not {_show(address)}")
    authority, path = match["authority"], match["path"]
    if "?" in path or "#" in path:
        raise ValueError(f"an address without '?' or '#' (each page's address adds '<slug>.html' to it), not {_show(address)}")
    if "@" in authority:
        raise ValueError("an address without a user name or password ('name:password@'), which every leaflet would print")
    _check_host(authority, address)
    if not _PATH.match(path):
        raise ValueError(
            "an address of ASCII letters, digits and URL punctuation, without spaces, quotes, angle brackets"
            f" or backslashes (write other characters %-encoded: é as %C3%A9), not {_show(address)}"
        )
    if _HIDDEN_IN_ESCAPES.search(characters.decode_escapes(path)):
        raise ValueError(f"an address without spaces, quotes, angle brackets or backslashes, %-encoded or not, not {_show(address)}")


def _check_host(authority: str, address: str) -> None:
    """A host name (example.org), an IPv4 address or an IPv6 one in brackets, then ':port' if any."""
    host, colon, port = authority, "", ""
    if ":" in authority.rpartition("]")[2]:
        host, colon, port = authority.rpartition(":")
    if colon and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"an address whose port is a number from 1 to 65535, not {_show(address)}")
    try:
        if host.startswith("[") and host.endswith("]"):
            ipaddress.IPv6Address(host[1:-1])
            return
        labels = host.removesuffix(".").split(".")
        if all(label.isascii() and label.isdigit() for label in labels):
            ipaddress.IPv4Address(host)  # 10.0.0.1; a name cannot end in digits alone
            return
    except ValueError:
        pass
    else:
        if len(host) <= 253 and all(map(_HOST_LABEL.match, labels)) and not labels[-1].isdigit():
            return
    raise ValueError(
        "an address whose host is a name such as example.org (letters, digits, hyphens; an international"
        f" name in its xn-- form) or an IP address, not {_show(address)}"
    )
