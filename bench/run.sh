#!/usr/bin/env bash
# One command: build the release binaries and run the gateway benchmark. Results: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cargo build --release -q -p clawgate -p clawgate-bench
exec target/release/clawgate-bench "$@"
