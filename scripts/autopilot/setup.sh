#!/bin/sh
# Creates the baseline venv (gitignored via /.venv*) with scikit-learn from PyPI.
set -e
cd "$(dirname "$0")/../.."
python3 -m venv .venv-autopilot
.venv-autopilot/bin/pip install --quiet scikit-learn numpy scipy
