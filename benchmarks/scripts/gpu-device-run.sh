#!/usr/bin/env bash
# The issue-21 device run in one call (docs/gpu.md, section 3): from the repo root on the GPU machine, with the bundle
# (node scripts/gpu-bundle.mjs --out .gpu-bundle) carried. Steps, each with its own time limit, each recorded in
# steps.tsv (a failed or timed-out step does not stop the next): adapter (fail fast unless --require-vendor matches),
# gpu-conformance, the Python reference (PyTorch/CuPy), gpu-multiplier, gpu-placebo, gpu-wild, gpu-demean, gpu-ann.
# Everything goes into one tarball, <out>/gpu-run.tgz (results/<machine kind>/*.json|md, logs/, steps.tsv, env.txt).
#   bash benchmarks/scripts/gpu-device-run.sh --out "$OUT" [--require-vendor nvidia] [--budget-s 470] [--rehearse]
# --rehearse: the same steps and code paths at the suites' seed scale (lavapipe-sized), same tarball layout.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out='' vendor='' budget=470 rehearse=0 bundle="$repo/.gpu-bundle"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --require-vendor) vendor=$2; shift 2 ;;
    --budget-s) budget=$2; shift 2 ;;
    --bundle) bundle=$2; shift 2 ;;
    --rehearse) rehearse=1; shift ;;
    *) echo "gpu-device-run: unknown option $1" >&2; exit 64 ;;
  esac
done
[ -n "$out" ] || { echo "gpu-device-run: --out DIR is required" >&2; exit 64; }
start=$(date +%s)
work=${TMPDIR:-/tmp}/panel-lab-gpu-run.$$
mkdir -p "$out" "$work/logs" "$work/results"
export PANEL_LAB_BUNDLE_DIR=${PANEL_LAB_BUNDLE_DIR:-${TMPDIR:-/tmp}/panel-lab-bundle}
scale=large; [ "$rehearse" = 1 ] && scale=seed
printf 'step\tstatus\tseconds\tlimit_s\n' >"$work/steps.tsv"

# Seconds left of the whole budget, less 20 s kept for the tarball.
left() { echo $(( budget - ($(date +%s) - start) - 20 )); }

# step NAME LIMIT_S COMMAND...: runs with min(LIMIT_S, what is left); logs; records status (ok, failed N, timeout, skipped).
step() {
  local name=$1 limit=$2; shift 2
  local l; l=$(left)
  if [ "$l" -lt 10 ]; then printf '%s\tskipped (budget spent)\t0\t%s\n' "$name" "$limit" >>"$work/steps.tsv"; echo "== $name: skipped, budget spent"; return; fi
  [ "$limit" -gt "$l" ] && limit=$l
  echo "== $name (limit ${limit}s, $(( $(date +%s) - start ))s elapsed)"
  local t0; t0=$(date +%s)
  # The suites stop their chunked cases 15 s before the step's end, so results are written before the kill.
  PANEL_LAB_STEP_DEADLINE_MS=$(( (t0 + limit - 15) * 1000 )) timeout -k 5 "$limit" "$@" >"$work/logs/$name.log" 2>&1
  local rc=$? status=ok
  [ "$rc" = 124 ] || [ "$rc" = 137 ] && status=timeout
  [ "$status" = ok ] && [ "$rc" != 0 ] && status="failed $rc"
  printf '%s\t%s\t%s\t%s\n' "$name" "$status" "$(( $(date +%s) - t0 ))" "$limit" >>"$work/steps.tsv"
  tail -n 4 "$work/logs/$name.log" | sed "s/^/   /"
  echo "   -> $status"
}

{
  echo "date: $(date -u +%FT%TZ)"; echo "commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "rehearse: $rehearse, scale: $scale, budget: ${budget}s"; nproc; free -g 2>/dev/null | head -2
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>/dev/null || echo "nvidia-smi: none"
  cat "$bundle/MANIFEST.txt" 2>/dev/null | head -1
} >"$work/env.txt" 2>&1

# timeout runs programs, not shell functions: each suite step is run.sh with these arguments.
suite_args=(--scale "$scale" --out "$work/results")
[ "$rehearse" = 1 ] && suite_args+=(--machine-kind rehearse-lavapipe)

# 1. Unpack and print the adapter; with --require-vendor a wrong or missing adapter ends the run here.
step adapter 120 bash "$bundle/run.sh" --adapter-only ${vendor:+--require-vendor "$vendor"}
grep -h 'WebGPU adapter' "$work/logs/adapter.log"
if ! grep -q '^adapter	ok' "$work/steps.tsv"; then
  echo "gpu-device-run: no usable adapter (see logs/adapter.log); the GPU steps are skipped" >&2
  [ -n "$vendor" ] && budget=0
fi
step gpu-conformance 75 bash "$bundle/run.sh" --suite gpu-conformance "${suite_args[@]}"
py_flags=(); [ "$rehearse" = 1 ] && py_flags=(--rehearse)
step python-reference 60 python3 "$repo/benchmarks/gpu_reference.py" --out "$work/results/python-reference.json" --budget-s 45 "${py_flags[@]}"
step gpu-multiplier 70 bash "$bundle/run.sh" --suite gpu-multiplier "${suite_args[@]}"
step gpu-placebo 55 bash "$bundle/run.sh" --suite gpu-placebo "${suite_args[@]}"
step gpu-wild 45 bash "$bundle/run.sh" --suite gpu-wild "${suite_args[@]}"
step gpu-demean 45 bash "$bundle/run.sh" --suite gpu-demean "${suite_args[@]}"
step gpu-ann 90 bash "$bundle/run.sh" --suite gpu-ann "${suite_args[@]}"

echo "== steps"; column -t -s "$(printf '\t')" "$work/steps.tsv" 2>/dev/null || cat "$work/steps.tsv"
tar -C "$work" -czf "$out/gpu-run.tgz" steps.tsv env.txt logs results
cp "$work/steps.tsv" "$out/steps.tsv"
echo "gpu-device-run: $out/gpu-run.tgz ($(du -h "$out/gpu-run.tgz" | cut -f1)), $(( $(date +%s) - start ))s in all"
rm -rf "$work"
