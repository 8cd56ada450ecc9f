# The one image every Cairn service runs from: CAIRN_SERVICE=<directory under services/> picks
# the service (`provision` runs the topics + migrations job). Multi-stage: the build stage has
# the dev dependencies and the TypeScript compiler; the runtime stage has production dependencies,
# compiled JavaScript and nothing else, runs as a non-root user under tini.
#   docker build -t cairn .                                            (official node:20 base)
#   docker build -t cairn --build-arg BASE_IMAGE=local/node:20 .      (infra/docker/build-images.sh)
ARG BASE_IMAGE=node:20-bookworm-slim

# Workspace manifests and the lock (sources too: the workspaces are folders under libs/ and
# services/). NPM_CI_FLAGS=--offline with a copy of an npm cache in .cache/npm-offline when the
# build has no network (infra/docker/build-images.sh); without that folder npm ci downloads.
FROM ${BASE_IMAGE} AS sources
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.build.json nx.json ./
# (package.json makes the wildcard match something where the cache folder is absent: the classic
# builder refuses a COPY whose sources match nothing.)
COPY package.json .cache/npm-offline* /tmp/npm-cache/
COPY patches patches
COPY libs libs
COPY services services

# Everything, to compile; then the development packages go (the lock says which), and only
# node_modules, dist/ folders and package.json files leave this stage.
FROM sources AS build
# Dependencies' install scripts do not run, as on the machines npm start and npm test use (npm 11
# runs none it was not told to): argon2 loads the prebuilt binary its package ships, and the one
# install step Cairn needs, the kafkajs patch, is applied explicitly.
ARG NPM_CI_FLAGS=--prefer-offline
COPY scripts/prune-dev.js scripts/lock-resolved.js scripts/build-web.js scripts/
RUN node scripts/lock-resolved.js \
 && npm ci --ignore-scripts --no-audit --no-fund --cache /tmp/npm-cache ${NPM_CI_FLAGS} \
 && node node_modules/patch-package/index.js --error-on-fail \
 && node node_modules/typescript/bin/tsc -b tsconfig.build.json \
 && node scripts/build-web.js \
 && node scripts/prune-dev.js \
 && find libs services -mindepth 2 -maxdepth 2 \( -name src -o -name test -o -name '*.tsbuildinfo' -o -name 'tsconfig*.json' \) -exec rm -rf {} + \
 && find libs services -name '*.map' -delete

FROM ${BASE_IMAGE}
ARG BASE_IMAGE
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="cairn" \
      org.opencontainers.image.description="Cairn customer success platform: one image for every service (CAIRN_SERVICE picks it)" \
      org.opencontainers.image.source="https://github.com/cairn-cs/cairn" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"
# tini forwards SIGTERM to Node (as PID 1 Node ignores it) and reaps zombies; -s keeps it the
# reaper when Docker's own init (`init: true`, `--init`) is PID 1 instead. The local base has it
# already; the official image gets Debian's package.
RUN command -v tini >/dev/null || { apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*; }
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 KAFKAJS_NO_PARTITIONER_WARNING=1
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json /app/package-lock.json ./
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/libs libs
COPY --from=build --chown=root:root /app/services services
COPY scripts/service.js scripts/provision.js scripts/healthcheck.js scripts/
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/scripts/healthcheck.js"]
ENTRYPOINT ["tini", "-s", "--", "node", "/app/scripts/service.js"]
