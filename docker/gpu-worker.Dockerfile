# syntax=docker/dockerfile:1
# Panel Lab GPU queue worker: the same worker on an NVIDIA base image, so the WebGPU backends
# (Dawn, through the `webgpu` npm package) find the GPU through its Vulkan driver.
# Build from the repository root:
#   docker build -f docker/gpu-worker.Dockerfile -t panel-lab-gpu-worker .
# Run with the NVIDIA Container Toolkit and the graphics capability (it mounts the driver's Vulkan
# ICD and libGLX_nvidia into the container):
#   docker run --gpus all -e NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics ...
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
# Compile (tsc -b: dist/ per package), then keep only production dependencies and the compiled output.
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && sh docker/compiled-only.sh

FROM node:20-bookworm-slim AS node

FROM nvidia/cuda:12.6.3-base-ubuntu24.04
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics \
    NODE_ENV=production \
    PANEL_LAB_COMPILED=1 \
    PANEL_LAB_DATA_DIR=/data \
    PANEL_LAB_WORKER_CONCURRENCY=1 \
    PANEL_LAB_BACKEND=gpujs
# Vulkan loader for Dawn; the ICD file below is a fallback for toolkits that do not mount one.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libvulkan1 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /etc/vulkan/icd.d \
 && printf '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3"}}\n' > /usr/share/vulkan-nvidia_icd.json \
 && if [ ! -e /etc/vulkan/icd.d/nvidia_icd.json ]; then ln -s /usr/share/vulkan-nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; fi
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN useradd --create-home --uid 10001 panel
WORKDIR /app
COPY --from=build --chown=panel:panel /app /app
USER panel
CMD ["node", "apps/worker/bin/main.js"]
