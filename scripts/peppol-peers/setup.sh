#!/usr/bin/env bash
# The venv of independent Peppol implementations from PyPI that the interoperability tests run
# against (see ../shared/research/peppol-peers.md). Pinned, so a test failure is ours to explain.
# The tests find it at $POSTBODE_PEERS_VENV (default below); .ci/run calls this script.
set -euo pipefail
VENV="${POSTBODE_PEERS_VENV:-/var/cache/postbode/peers-venv}"
if "$VENV/bin/python" -c "import as4, peppol_py, xmlsec" >/dev/null 2>&1; then
  exit 0
fi
# as4 needs Python 3.11 or newer, which the machine's python3 is.
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'
python3 -m venv --clear "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
  as4==0.2.0 peppol-py==1.2.5 xmlsec==1.3.17
"$VENV/bin/pip" check
