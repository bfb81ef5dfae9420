#!/usr/bin/env bash
# engine.sh makes a Docker engine (and docker-compose) available and prints the DOCKER_HOST to
# reach it.
#
# It uses, in order: $DOCKER_HOST if it answers, the system's engine if it answers, the engine
# this script started before, or a new one. A new one is Debian's docker.io (installed when
# missing), started without touching the host's network: no iptables rules, no bridge network
# (containers run with --network host), its own data and exec roots and socket under
# $MXB_DOCKER_DIR (default /tmp/mxbridges-docker).
set -euo pipefail

answers() { DOCKER_HOST="$1" docker info >/dev/null 2>&1; }

# docker-compose validates docker/compose.yaml in make docker-test (bridges/telegram/dockertest).
if ! command -v docker-compose >/dev/null; then
	echo "== installing docker-compose (Debian's)" >&2
	sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker-compose >&2 ||
		{ $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker-compose >&2; }
fi

if [ -n "${DOCKER_HOST:-}" ] && command -v docker >/dev/null && answers "$DOCKER_HOST"; then
	echo "$DOCKER_HOST"; exit 0
fi
if command -v docker >/dev/null && answers unix:///var/run/docker.sock; then
	echo unix:///var/run/docker.sock; exit 0
fi
dir=${MXB_DOCKER_DIR:-/tmp/mxbridges-docker}
sock="unix://$dir/docker.sock"
if command -v docker >/dev/null && answers "$sock"; then
	echo "$sock"; exit 0
fi
if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
	echo "== installing docker.io (Debian's Docker engine)" >&2
	sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker.io >&2
fi
mkdir -p "$dir"
echo "== starting dockerd (socket $sock, log $dir/dockerd.log)" >&2
nohup dockerd --iptables=false --ip-forward=false --bridge=none \
	--data-root "$dir/root" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
	-H "$sock" >"$dir/dockerd.log" 2>&1 &
for _ in $(seq 60); do
	if answers "$sock"; then echo "$sock"; exit 0; fi
	sleep 1
done
echo "dockerd did not come up within 60 s; see $dir/dockerd.log:" >&2
tail -20 "$dir/dockerd.log" >&2
exit 1
