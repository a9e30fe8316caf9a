#!/usr/bin/env bash
# Out-of-core proofs of the ezkl-like stress shape (`--spill`), one per k: time, exact heap peak per
# phase (memray, `halo2py profile`), peak RSS (/usr/bin/time -v), then the proof is verified.
#   benchmarks/spill.sh [K …]            (default: 20 22)
# Environment: PARAMS (a params file of k ≥ max K; default: cached dev params), OUT (results,
# default /work/bigdata/spill-bench), SPILL (spill directory, default $OUT/spill), H2 (the CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
H2=${H2:-.venv/bin/halo2py}
OUT=${OUT:-/work/bigdata/spill-bench}
SPILL=${SPILL:-$OUT/spill}
SHAPE=(--param advice=6 --param fixed=8 --param degree=4 --param lookups=2 --param equality=7)
PARAMS_ARG=()
[[ -n "${PARAMS:-}" ]] && PARAMS_ARG=(--params "$PARAMS")
mkdir -p "$OUT" "$SPILL"
for k in "${@:-20 22}"; do
  for kk in $k; do
    dir="$OUT/k$kk"
    mkdir -p "$dir"
    echo "k = $kk: load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S)" | tee "$dir/load.txt"
    /usr/bin/time -v -o "$dir/time.txt" "$H2" profile stress --k "$kk" "${SHAPE[@]}" "${PARAMS_ARG[@]}" \
      --spill "$SPILL" --out "$dir" --no-flamegraph --json > "$dir/profile.json"
    echo "k = $kk: proved; load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S)" | tee -a "$dir/load.txt"
    /usr/bin/time -v -o "$dir/verify-time.txt" "$H2" verify stress --k "$kk" "${SHAPE[@]}" "${PARAMS_ARG[@]}" \
      --proof "$dir/proof.bin" --json > "$dir/verify.json"
    echo "k = $kk: verified $(cat "$dir/verify.json"); spill dir now: $(ls -A "$SPILL" | wc -l) entries" | tee -a "$dir/load.txt"
    grep -E "Maximum resident|Elapsed" "$dir/time.txt" | tee -a "$dir/load.txt"
    python3 - "$dir/profile.json" <<'PY' | tee -a "$dir/load.txt"
import json, sys
r = json.load(open(sys.argv[1]))
gib = 2 ** 30
print(f"k = {r['k']}: proof {r['seconds']:.0f} s, heap peak {r['peak_bytes'] / gib:.2f} GiB "
      f"(model {r['model_peak_bytes'] / gib:.2f} GiB), peak RSS {r['peak_rss_bytes'] / gib:.2f} GiB")
for name, p in r["phases"].items():
    print(f"  {name:16s} {p['seconds']:8.1f} s  heap {p['peak_bytes'] / gib:6.2f} GiB  model {(p['model_bytes'] or 0) / gib:6.2f} GiB")
PY
  done
done
