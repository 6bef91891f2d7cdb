# syntax=docker/dockerfile:1
# Panel Lab CPU queue worker (BullMQ). Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t panel-lab-worker .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
# Compile (tsc -b: dist/ per package), then keep only production dependencies and the compiled output.
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && sh docker/compiled-only.sh

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PANEL_LAB_COMPILED=1 \
    PANEL_LAB_DATA_DIR=/data \
    PANEL_LAB_WORKER_CONCURRENCY=2
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
# PANEL_LAB_REDIS_URL is required (e.g. redis://redis:6379); /data must be the API's data volume.
CMD ["node", "apps/worker/bin/main.js"]
