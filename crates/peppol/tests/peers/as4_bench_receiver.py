"""The `as4` package (0.2.0) receiving a batch of messages, timed, for benches/as4.rs.

    as4_bench_receiver.py PKI DIR ROUNDS   DIR holds N.bin (a request body) and N.type (its
                                           Content-Type) for N = 0, 1, ...; each message goes
                                           through `parse_peppol_message` and `build_signal` as
                                           PTE000002, ROUNDS times over. Prints {"messages",
                                           "accepted", "seconds"} as JSON.

PKI holds root.pem, apca.pem and <seat>.pem/.key. Bench harness only.
"""
import json
import sys
import time
from pathlib import Path

from as4.peppol import parse_peppol_message

import as4_local

pki, work, rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
receiver, policy = as4_local.receiver(pki)
messages = []
n = 0
while (work / f"{n}.bin").exists():
    messages.append(({"Content-Type": (work / f"{n}.type").read_text(), "MIME-Version": "1.0"},
                     (work / f"{n}.bin").read_bytes()))
    n += 1

accepted = 0
start = time.perf_counter()
for _ in range(rounds):
    for headers, body in messages:
        exchange = parse_peppol_message(request_headers=headers, request_body=body,
                                        local_party=receiver, security_policy=policy)
        exchange.build_signal()
        accepted += exchange.successful
seconds = time.perf_counter() - start
json.dump({"messages": rounds * len(messages), "accepted": accepted, "seconds": seconds}, sys.stdout)
