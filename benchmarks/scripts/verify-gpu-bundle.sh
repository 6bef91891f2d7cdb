#!/usr/bin/env bash
# Checks a built GPU bundle (scripts/gpu-bundle.mjs) the way the GPU machine will use it: from a copy outside the
# repo, with an empty environment, so nothing from node_modules or the PATH's node can help. Runs the kernels suite
# at quick scale (one run each) and fails unless its report exists and webgpu rows really ran on an adapter.
#   bash benchmarks/scripts/verify-gpu-bundle.sh [.gpu-bundle]
set -euo pipefail
bundle=$(cd "${1:-.gpu-bundle}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$bundle" "$work/bundle"
rm -rf "$work/bundle/unpacked"
size=$(du -cb "$work/bundle/run.sh" "$work/bundle/payload.tar.xz" | tail -n1 | cut -f1)
echo "bundle: $((size / 1024 / 1024)) MiB (run.sh + payload.tar.xz)"
(cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" bash "$work/bundle/run.sh" \
  --suite kernels --scale quick --runs 1 --warmup 0 --machine-kind bundle-check --out "$work/out" --check)
report="$work/out/bundle-check/kernels.quick.json"
"$work/bundle/unpacked/node" -e '
const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
const webgpu = r.results.filter((c) => c.backend.endsWith(":webgpu"));
const wasm = r.results.filter((c) => c.backend === "tfjs:wasm");
if (!r.machine.gpu_adapter) throw new Error("machine.gpu_adapter is empty: run.sh found no WebGPU adapter");
if (webgpu.length === 0) throw new Error("no webgpu row ran");
if (wasm.length === 0) throw new Error("no tfjs:wasm row ran (wasm files not found?)");
const bad = webgpu.filter((c) => c.extra.requested_backend !== c.backend);
if (bad.length) throw new Error(`requested and actual backend differ: ${bad.map((c) => c.name).join("; ")}`);
console.log(`ok: ${r.results.length} cases, ${webgpu.length} on webgpu (${r.machine.gpu_adapter}), ${wasm.length} on tfjs:wasm`);
' "$report"
