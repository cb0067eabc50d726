#!/usr/bin/env bash
# A profile-guided release build of `postbode`: build it instrumented, let it validate the
# training documents (scripts/release/training_documents.py: the official rule unit tests, not
# the examples the benchmark measures), serve a small firm's pages and run the Autopilot, then
# build it again with that profile. The validator's cost is in data-dependent branches across
# about 500 KB of rule code (docs/PERFORMANCE.md); the profile tells the compiler which side of
# each is taken, so hot paths are laid out straight.
#
# Needs an llvm-profdata of rustc's LLVM (rustc -vV names it: 22 for rustc 1.95), or an older one
# down to LLVM 19: set LLVM_PROFDATA, or install Debian's llvm-22.
#
# Usage: scripts/release/build-pgo.sh [TARGET_DIR]   (default target/pgo)
# The binary ends up in TARGET_DIR/use/x86_64-unknown-linux-gnu/release/postbode (the host triple).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${1:-$root/target/pgo}")
cd "$root" # for the toolchain rust-toolchain.toml pins
host=$(rustc -vV | sed -n 's/^host: //p')

# The indexed profile must be one rustc's LLVM reads: the same major version, or an older one
# down to 19 (LLVM 19's llvm-profdata merged rustc 1.95's raw profiles here; LLVM 14's refuses
# their format version).
llvm=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
profdata=${LLVM_PROFDATA:-}
if [ -z "$profdata" ]; then
    for version in $(seq "$llvm" -1 19); do
        candidate=/usr/lib/llvm-$version/bin/llvm-profdata
        if [ -x "$candidate" ]; then profdata=$candidate; break; fi
    done
fi
[ -n "$profdata" ] || { echo "build-pgo: no llvm-profdata of LLVM 19 or later; set LLVM_PROFDATA" >&2; exit 2; }

profiles="$out/profiles"
training="$out/training"
rm -rf "$profiles" "$training" "$out"/postbode-*.profdata
python3 "$root/scripts/release/training_documents.py" "$training"

# --target keeps RUSTFLAGS off build scripts and proc macros, which need no profile.
build() {
    RUSTFLAGS="$1" CARGO_TARGET_DIR="$out/$2" cargo build --release -p postbode --target "$host"
}

build "-Cprofile-generate=$profiles" generate
instrumented="$out/generate/$host/release/postbode"
"$instrumented" bench validate --seconds 3 "$training"/*.xml >/dev/null
# The hub's pages and API too, on a small firm: code the training never runs is laid out as
# cold, and the rest of the binary should not pay for a profile of the validator alone.
"$instrumented" bench hub --organisations 50 --transactions 20000 --requests 50 >/dev/null
# And the Autopilot, on one month of the development postings when they are beside the checkout.
postings="$root/../shared/autopilot/dev-postings.csv.gz"
if [ -f "$postings" ]; then
    "$instrumented" autopilot evaluate --postings "$postings" --months 1 >/dev/null
else
    echo "build-pgo: $postings is missing; the Autopilot gets no profile" >&2
fi
"$profdata" merge -o "$out/merged.profdata" "$profiles"
# Named by its content: cargo rebuilds when RUSTFLAGS change, not when a file they name does.
profile="$out/postbode-$(sha256sum "$out/merged.profdata" | cut -c1-16).profdata"
mv "$out/merged.profdata" "$profile"
build "-Cprofile-use=$profile" use
echo "$out/use/$host/release/postbode"
