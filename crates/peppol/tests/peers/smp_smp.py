"""peppol-py's SMP client (busdox SMP 1.x) against a local SMP.

  smp_smp.py BASE PARTICIPANT DOCTYPE
      prints, as JSON, the service group hrefs peppol-py reads from BASE for PARTICIPANT
      (`0088:…`) and the transport profile, endpoint URL and certificate it reads from the
      metadata of DOCTYPE (the value, without `busdox-docid-qns::`).

peppol-py finds the SMP through the SML only, so that step is replaced by BASE.
"""
import json
import sys

import peppol_py.smp as smp

BASE, PARTICIPANT, DOCTYPE = sys.argv[1:4]

smp.get_smp_url_from_dns = lambda participant, test_environment: (
    BASE.rstrip("/") + "/iso6523-actorid-upis::" + participant
)

hrefs = smp.get_service_urls_for_participant_from_smp(PARTICIPANT, True, 10, "postbode-test")
profile, endpoint, certificate = smp.get_service_info_for_participant_from_smp(
    PARTICIPANT, DOCTYPE, True, 10, "postbode-test"
)
print(json.dumps({
    "hrefs": hrefs,
    "transport_profile": profile,
    "endpoint": endpoint,
    "certificate": certificate.decode("ascii") if certificate else None,
}))
