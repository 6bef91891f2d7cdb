# syntax=docker/dockerfile:1
# Panel Lab CPU queue worker (BullMQ). Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t panel-lab-worker .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf apps/cli benchmarks/results

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PANEL_LAB_DATA_DIR=/data \
    PANEL_LAB_WORKER_CONCURRENCY=2
WORKDIR /app
COPY --from=deps --chown=node:node /app /app
USER node
# PANEL_LAB_REDIS_URL is required (e.g. redis://redis:6379); /data must be the API's data volume.
CMD ["node", "apps/worker/bin/main.js"]
