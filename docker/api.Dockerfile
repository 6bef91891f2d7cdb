# syntax=docker/dockerfile:1
# Panel Lab HTTP API (NestJS). Build from the repository root:
#   docker build -f docker/api.Dockerfile -t panel-lab-api .
# The workspace runs its TypeScript sources through tsx: there is no build step to copy outputs from.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf apps/cli benchmarks/results

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    PANEL_LAB_DATA_DIR=/data
WORKDIR /app
COPY --from=deps --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "apps/api/bin/main.js"]
