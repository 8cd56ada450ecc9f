#!/usr/bin/env bash
# `npm run test:containers` (CI: after `npm test`): the platform as containers. Installs what the
# machine lacks (Docker engine, Compose v1, mmdebstrap), starts a Docker daemon of its own in a
# private network namespace (infra/docker/dockerd.sh), builds the base, Kafka, PostgreSQL and
# Cairn images without any registry (infra/docker/build-images.sh), then runs the container suite
# (infra/docker/test/, testcontainers + docker-compose.yml) inside that namespace. Always stops
# the platform and the daemon, whatever happened.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
T0=$SECONDS
say() { printf '[containers] %s\n' "$*"; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
node -e "const i = require('./scripts/infra'); i.ensureDependencies(); i.build()"

export CAIRN_DOCKER_NETNS="${CAIRN_DOCKER_NETNS:-cairnct}"
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-cairnct}"
cleanup() {
  local rc=$?
  set +e
  if [ -n "${DOCKER_HOST:-}" ]; then
    if [ "$rc" != 0 ]; then
      say "failed: containers as they were"
      /usr/bin/docker ps -a --format '{{.Names}}\t{{.Status}}' 2>/dev/null
      for c in $(/usr/bin/docker ps -aq --filter health=unhealthy 2>/dev/null); do
        say "last log lines of $(/usr/bin/docker inspect -f '{{.Name}}' "$c")"; /usr/bin/docker logs --tail 15 "$c" 2>&1
      done
    fi
    infra/docker/dockerd.sh run docker-compose -f "$REPO/docker-compose.yml" down -v --remove-orphans -t 5 >/dev/null 2>&1
  fi
  infra/docker/dockerd.sh stop
  say "finished in $((SECONDS - T0)) s (exit $rc)"
  exit $rc
}
trap cleanup EXIT INT TERM
T=$SECONDS
eval "$(infra/docker/dockerd.sh start)"
export DOCKER_HOST
say "docker daemon up in $((SECONDS - T)) s (namespace $CAIRN_DOCKER_NETNS)"

T=$SECONDS
infra/docker/build-images.sh all
say "images ready in $((SECONDS - T)) s"

# testcontainers' DockerComposeEnvironment calls `docker compose` (v2); Debian has Compose v1
# only, so a CLI plugin shim hands the call to docker-compose.
export DOCKER_CONFIG="$REPO/.cache/docker/config"
mkdir -p "$DOCKER_CONFIG/cli-plugins"
cat > "$DOCKER_CONFIG/cli-plugins/docker-compose" <<'SHIM'
#!/bin/sh
if [ "$1" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion":"0.1.0","Vendor":"Cairn","Version":"1.29.2","ShortDescription":"Compose v1 as a v2 plugin"}'
  exit 0
fi
shift
exec docker-compose "$@"
SHIM
chmod +x "$DOCKER_CONFIG/cli-plugins/docker-compose"

export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 TESTCONTAINERS_RYUK_DISABLED=true
export KAFKA_IMAGE=local/kafka:3.9.1 POSTGRES_IMAGE=local/postgres:15 CAIRN_IMAGE="${CAIRN_IMAGE:-cairn:local}"
infra/docker/dockerd.sh run env PATH="/usr/bin:$PATH" node node_modules/jest/bin/jest.js --ci --selectProjects containers --runInBand --forceExit
