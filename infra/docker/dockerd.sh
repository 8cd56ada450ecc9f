#!/usr/bin/env bash
# A private Docker daemon for this checkout (CONTAINERS.md mode B): full bridge networking inside
# a network namespace of its own, so nothing it runs touches the host's links, routes, iptables
# or ports, and several checkouts on one machine never collide.
#   infra/docker/dockerd.sh start   → prints `export DOCKER_HOST=…` lines
#   infra/docker/dockerd.sh stop    → stops the daemon, unmounts its netns, deletes the namespace
#   infra/docker/dockerd.sh run CMD → runs CMD inside the namespace (where mapped ports are reachable)
# CAIRN_DOCKER_NETNS names the namespace (default cairnct); data lives in .cache/docker/.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
NETNS="${CAIRN_DOCKER_NETNS:-cairnct}"
ROOT="${CAIRN_DOCKER_ROOT:-$REPO/.cache/docker}"
DATA="$ROOT/data" EXEC="$ROOT/exec" PIDFILE="$ROOT/dockerd.pid" LOG="$ROOT/dockerd.log"
SOCK="$EXEC/docker.sock"

in_ns() { nsenter --net="/run/netns/$NETNS" "$@"; }

start() {
  mkdir -p "$DATA" "$EXEC"
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "export DOCKER_HOST=unix://$SOCK"; return 0
  fi
  [ -e "/run/netns/$NETNS" ] || ip netns add "$NETNS"
  in_ns ip link set lo up
  # nsenter, not `ip netns exec` (that remounts /sys and dockerd fails: "Devices cgroup isn't mounted").
  in_ns setsid dockerd --data-root "$DATA" --exec-root "$EXEC" --pidfile "$PIDFILE" \
    -H "unix://$SOCK" --storage-driver overlay2 >"$LOG" 2>&1 < /dev/null &
  for _ in $(seq 1 120); do
    if DOCKER_HOST="unix://$SOCK" /usr/bin/docker version >/dev/null 2>&1; then
      echo "export DOCKER_HOST=unix://$SOCK"; return 0
    fi
    sleep 0.5
  done
  echo "dockerd did not come up; see $LOG" >&2
  tail -20 "$LOG" >&2
  return 1
}

stop() {
  if [ -f "$PIDFILE" ]; then
    local pid; pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    fi
    rm -f "$PIDFILE"
  fi
  # dockerd bind-mounts its namespace handle here; left mounted, the next start fails.
  if mountpoint -q "$EXEC/netns/default" 2>/dev/null; then umount "$EXEC/netns/default" || umount -l "$EXEC/netns/default"; fi
  [ -e "/run/netns/$NETNS" ] && ip netns delete "$NETNS" || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  run) shift; DOCKER_HOST="unix://$SOCK" in_ns "$@" ;;
  *) echo "usage: $0 start|stop|run CMD…" >&2; exit 2 ;;
esac
