# syntax=docker/dockerfile:1
# Panel Lab HTTP API (NestJS). Build from the repository root:
#   docker build -f docker/api.Dockerfile -t panel-lab-api .
# The image runs the compiled JavaScript (dist/) with plain node: no TypeScript sources, no tsx.
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
    HOST=0.0.0.0 \
    PORT=8080 \
    PANEL_LAB_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "apps/api/bin/main.js"]
