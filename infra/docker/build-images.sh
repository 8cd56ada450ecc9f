#!/usr/bin/env bash
# Builds every image the platform needs without any registry (CONTAINERS.md):
#   local/debian:bookworm  Debian's archive via mmdebstrap (minbase + ca-certificates + tini)
#   local/node:20          that + Node 20 (this machine's, or NODE_DIST=<dir with bin/node>)
#   local/java:17          Debian + openjdk-17-jre-headless
#   local/kafka:3.9.1      that + infra/kafka's Maven jars + an entrypoint honouring apache/kafka's KAFKA_* variables
#   local/postgres:15      Debian + postgresql-15 + an entrypoint honouring postgres's POSTGRES_* variables
#   cairn:local            the one Cairn image (Dockerfile at the repo root) FROM local/node:20
# An image that exists is kept (CAIRN_IMAGES_REBUILD=1 rebuilds all). Needs DOCKER_HOST (infra/docker/dockerd.sh).
# Usage: build-images.sh [base|platform|cairn|all]   (default all)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/infra/docker"
DOCKER="${DOCKER:-/usr/bin/docker}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
CAIRN_IMAGE="${CAIRN_IMAGE:-cairn:local}"
export DOCKER_BUILDKIT=1

say() { printf '[images] %s\n' "$*"; }
have() { [ -z "${CAIRN_IMAGES_REBUILD:-}" ] && "$DOCKER" image inspect "$1" >/dev/null 2>&1; }
timed() { local t=$SECONDS; "$@"; say "$1 $2 done in $((SECONDS - t)) s"; }

# Debian rootfs → image. Documentation and man pages are left out; apt lists are removed.
debootstrap_image() {
  local tag="$1" include="$2"; shift 2
  have "$tag" && { say "$tag exists"; return; }
  local t=$SECONDS tar="$REPO/.cache/rootfs-${tag//[\/:]/-}.tar"
  mkdir -p "$REPO/.cache"
  # Into a file first: a failed bootstrap must not leave an empty image behind.
  mmdebstrap --variant=minbase --include="$include" --quiet \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' "$@" \
    bookworm "$tar" "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" "deb $SECURITY bookworm-security main" \
    < /dev/null
  "$DOCKER" import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' "$tar" "$tag" >/dev/null
  rm -f "$tar"
  say "$tag built in $((SECONDS - t)) s ($(size "$tag"))"
}

size() { "$DOCKER" image inspect -f '{{.Size}}' "$1" | awk '{ printf "%d MB", $1 / 1000000 }'; }

node_image() {
  have local/node:20 && { say "local/node:20 exists"; return; }
  local ctx; ctx="$(mktemp -d)"
  # Node 20 from this machine (Debian has Node 18 only): the binary and its npm.
  local node npmdir
  node="${NODE_DIST:+$NODE_DIST/bin/node}"; node="${node:-$(command -v node)}"
  npmdir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  "$node" -e 'if (!process.version.startsWith("v20.")) { console.error("Node 20 needed, found " + process.version); process.exit(1); }'
  cp "$(readlink -f "$node")" "$ctx/node"
  cp -a "$npmdir" "$ctx/npm"
  cp "$HERE/node/Dockerfile" "$ctx/"
  local t=$SECONDS
  "$DOCKER" build -q -t local/node:20 --build-arg DEBIAN_IMAGE=local/debian:bookworm "$ctx" >/dev/null
  rm -rf "$ctx"
  say "local/node:20 built in $((SECONDS - t)) s ($(size local/node:20))"
}

kafka_image() {
  have local/kafka:3.9.1 && { say "local/kafka:3.9.1 exists"; return; }
  # The jars infra/kafka resolves from Maven Central for the native broker (same version).
  node -e "require('$REPO/infra/kafka/broker.js').ensureJars(console.log)"
  local ctx; ctx="$(mktemp -d)"
  cp -a "$REPO/.cache/kafka/lib" "$ctx/libs"
  cp "$HERE/kafka/Dockerfile" "$HERE/kafka/entrypoint.sh" "$HERE/kafka/kafka-broker-api-versions.sh" "$REPO/infra/kafka/log4j.properties" "$ctx/"
  local t=$SECONDS
  "$DOCKER" build -q -t local/kafka:3.9.1 --build-arg JAVA_IMAGE=local/java:17 "$ctx" >/dev/null
  rm -rf "$ctx"
  say "local/kafka:3.9.1 built in $((SECONDS - t)) s ($(size local/kafka:3.9.1))"
}

postgres_image() {
  have local/postgres:15 && { say "local/postgres:15 exists"; return; }
  local t=$SECONDS
  "$DOCKER" build -q -t local/postgres:15 --build-arg DEBIAN_PG_IMAGE=local/debian-postgres:15 "$HERE/postgres" >/dev/null
  say "local/postgres:15 built in $((SECONDS - t)) s ($(size local/postgres:15))"
}

cairn_image() {
  local t=$SECONDS
  # No registry and no network inside the build: npm ci reads the packages from a copy of this
  # machine's npm cache in the build context (--offline). Elsewhere the cache is absent and npm
  # ci downloads as usual.
  local cache="$REPO/.cache/npm-offline"
  if [ ! -d "$cache/_cacache/index-v5" ]; then
    # Index and content only: tmp/ is where concurrent npm runs write, files come and go there.
    local from; from="$(npm config get cache)/_cacache"
    mkdir -p "$cache/_cacache"
    # Other npm runs may add or replace files meanwhile; what is missing shows as ENOTCACHED later.
    cp -a "$from/index-v5" "$from/content-v2" "$cache/_cacache/" 2>/dev/null || say "npm cache changed while it was copied"
  fi
  "$DOCKER" build -t "$CAIRN_IMAGE" --build-arg BASE_IMAGE=local/node:20 --build-arg NPM_CI_FLAGS=--offline \
    --build-arg VERSION="$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo dev)" \
    --build-arg REVISION="$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)" \
    --progress=plain "$REPO" > "$REPO/.cache/docker-build-cairn.log" 2>&1 \
    || { tail -40 "$REPO/.cache/docker-build-cairn.log"; return 1; }
  say "$CAIRN_IMAGE built in $((SECONDS - t)) s ($(size "$CAIRN_IMAGE"))"
}

base() {
  # The three root filesystems are independent downloads: built side by side.
  debootstrap_image local/debian:bookworm ca-certificates,tini \
    --customize-hook='chroot "$1" groupadd -g 1000 node' --customize-hook='chroot "$1" useradd -u 1000 -g node -m -s /bin/bash node' &
  local a=$!
  # openjdk's postinst links its man pages into man1, which the path-exclude leaves out.
  debootstrap_image local/java:17 openjdk-17-jre-headless,tini --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
    --customize-hook='chroot "$1" useradd -u 1000 -m -s /bin/bash appuser' &
  local b=$!
  # No default cluster: the entrypoint creates one in PGDATA on first start.
  debootstrap_image local/debian-postgres:15 postgresql-15,tini \
    --essential-hook='mkdir -p "$1"/etc/postgresql-common && echo "create_main_cluster = false" > "$1"/etc/postgresql-common/createcluster.conf' &
  local c=$!
  wait $a; wait $b; wait $c
  node_image
}

platform() { kafka_image; postgres_image; }

case "${1:-all}" in
  base) base ;;
  platform) platform ;;
  cairn) cairn_image ;;
  all) base; platform; cairn_image ;;
  *) echo "usage: $0 [base|platform|cairn|all]" >&2; exit 2 ;;
esac
