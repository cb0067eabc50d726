"""peppol-py's SML lookup (NAPTR name, record choice, regexp) against a local DNS server.

  smp_sml.py PORT ID...   prints, per participant id (`0088:…`), the service group URL
                          peppol-py derives from the SML, one per line.

peppol-py hard-codes its resolver, so the resolver class is swapped for one that asks
127.0.0.1:PORT only; the zone is peppol-py's own test zone.
"""
import sys

import dns.resolver

PORT = int(sys.argv[1])


class LocalResolver(dns.resolver.Resolver):
    def __init__(self, *args, **kwargs):
        super().__init__(configure=False)
        self.nameservers = ["127.0.0.1"]
        self.port = PORT


dns.resolver.Resolver = LocalResolver

from peppol_py.smp import get_smp_url_from_dns  # noqa: E402 (after the patch on purpose)

for participant in sys.argv[2:]:
    print(get_smp_url_from_dns(participant, test_environment=True))
