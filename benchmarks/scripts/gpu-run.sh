#!/usr/bin/env bash
# run.sh of the Panel Lab GPU bundle (built by scripts/gpu-bundle.mjs; docs/gpu.md). Needs only bash, tar and
# xz or python3 on the machine: Node, the bundled suites, dawn.node and libvulkan.so.1 come in payload.tar.xz.
#   run.sh [--require-vendor nvidia] [--adapter-only] [--suite NAME]... [--scale quick|seed|large] [--out DIR]
#          [--machine-kind KIND] [--runs N] [--warmup N] [--check] [--list]
# Without --suite it runs the suites with WebGPU paths: kernels, placebo, bootstrap, ann-ensemble.
# Results: <out>/<machine kind>/<suite>.<scale>.json and .md. Machine kind: --machine-kind, else
# PANEL_LAB_MACHINE_KIND, else gpu-<model> from an NVIDIA adapter (gpu-h100), else cpu-<cores>core.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

require_vendor=''
adapter_only=0
has_kind=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --require-vendor) require_vendor=${2:?--require-vendor needs a value}; shift 2 ;;
    --adapter-only) adapter_only=1; shift ;;
    --machine-kind) has_kind=1; args+=("$1" "${2:?--machine-kind needs a value}"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

# 1. Unpack once (again when the payload changes) into the bundle's folder, or a temp folder if it is read-only.
app=${PANEL_LAB_BUNDLE_DIR:-$here/unpacked}
if ! mkdir -p "$app" 2>/dev/null || [ ! -w "$app" ]; then app=${TMPDIR:-/tmp}/panel-lab-gpu-bundle; mkdir -p "$app"; fi
stamp=$(cksum <"$here/payload.tar.xz")
if [ "$(cat "$app/.payload-cksum" 2>/dev/null || true)" != "$stamp" ]; then
  echo "run.sh: unpacking payload.tar.xz into $app" >&2
  # Only ever clear a folder this script unpacked into before.
  if [ -n "$(ls -A "$app")" ] && [ ! -f "$app/.payload-cksum" ]; then
    echo "run.sh: $app is not empty and holds no unpacked bundle: set PANEL_LAB_BUNDLE_DIR to a new folder" >&2
    exit 3
  fi
  rm -rf "${app:?}"/* "$app/.payload-cksum"
  if command -v xz >/dev/null 2>&1; then
    tar -C "$app" -xJf "$here/payload.tar.xz"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$here/payload.tar.xz" "$app"
  else
    echo "run.sh: neither xz nor python3 is here to unpack payload.tar.xz" >&2
    exit 3
  fi
  echo "$stamp" >"$app/.payload-cksum"
fi
node="$app/node"

# 2. Vulkan: the NVIDIA container toolkit mounts the driver but not its ICD file where the loader looks.
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$icd" ]; then export VK_ICD_FILENAMES=$icd VK_DRIVER_FILES=$icd; break; fi
  done
fi
ldconfig_bin=$(command -v ldconfig || ls /sbin/ldconfig /usr/sbin/ldconfig 2>/dev/null | head -n1 || true)
if [ -n "$ldconfig_bin" ] && "$ldconfig_bin" -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
  vulkan_loader='system'
elif [ -f "$app/lib/libvulkan.so.1" ]; then
  export LD_LIBRARY_PATH="$app/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  vulkan_loader="carried ($app/lib/libvulkan.so.1)"
else
  vulkan_loader='none found'
fi
echo "run.sh: node $("$node" --version), Vulkan loader: $vulkan_loader, VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-unset}" >&2

# 3. Which adapter Dawn gives this process.
info=$("$node" "$app/panel-lab-bench.mjs" --adapter-info | tail -n1)
echo "run.sh: WebGPU adapter: $info"
field() { "$node" -e 'const v = JSON.parse(process.argv[1])[process.argv[2]]; process.stdout.write(v === undefined ? "" : String(v))' "$info" "$1"; }
available=$(field available)
vendor=$(field vendor)
description=$(field description)
if [ "$available" != true ]; then
  echo "run.sh: no WebGPU adapter ($(field reason)); webgpu cases will be left out. Fallbacks: docs/gpu.md, section 'No adapter'." >&2
  if [ -n "$require_vendor" ]; then exit 2; fi
else
  # Dawn's Vulkan description names the driver ("NVIDIA: 580.x"), not the card: take the card from nvidia-smi.
  card=''
  if [ "${vendor,,}" = nvidia ]; then card=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n1 || true); fi
  export PANEL_LAB_GPU_ADAPTER=${PANEL_LAB_GPU_ADAPTER:-"$vendor: $description ($(field architecture))${card:+; $card}"}
  if [ -n "$require_vendor" ] && [ "${vendor,,}" != "${require_vendor,,}" ]; then
    echo "run.sh: adapter vendor is '$vendor', not '$require_vendor': refusing to record these figures" >&2
    exit 2
  fi
  if [ "$has_kind" = 0 ] && [ -z "${PANEL_LAB_MACHINE_KIND:-}" ] && [ "${vendor,,}" = nvidia ]; then
    model=$(printf '%s %s' "$card" "$description" | grep -oE '\b[A-Z]{1,2}[0-9]{2,4}\b' | head -n1 | tr 'A-Z' 'a-z' || true)
    export PANEL_LAB_MACHINE_KIND="gpu-${model:-nvidia}"
  fi
fi
if [ "$adapter_only" = 1 ]; then exit 0; fi

# 4. The suites, each in a child process of the bundle.
exec "$node" "$app/panel-lab-bench.mjs" "${args[@]}"
