"""Client addresses as rate limits count them (``adapters.kit.addresses``)."""

from __future__ import annotations

import pytest

from adapters.kit.addresses import rate_key


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # an IPv4 client on a dual-stack socket
        ("2001:db8:7:1:aa::1", "2001:db8:7:1::/64"),
        ("2001:db8:7:1:ffff:ffff:ffff:ffff", "2001:db8:7:1::/64"),
        ("?", "?"),  # no address known
    ],
)
def test_an_ipv6_address_counts_as_its_64_network(address: str, key: str) -> None:
    assert rate_key(address) == key
