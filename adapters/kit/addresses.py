"""Client addresses as rate limits count them."""

from __future__ import annotations

import ipaddress


def rate_key(address: str) -> str:
    """What a per-address limit counts ``address`` as: an IPv4 address, or the /64 network an IPv6
    address is in (every IPv6 host has 2**64 addresses to pick from, so counting each one on its own
    limited nothing)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:203.0.113.7 is that IPv4 address
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
