#!/usr/bin/env bash
# base-images.sh makes sure the images the Dockerfiles start FROM exist in the engine at
# $DOCKER_HOST. On a machine that reaches Docker Hub it pulls them. Where no registry can be
# reached it builds them locally:
#   debian:bookworm-slim      from `debootstrap --variant=minbase bookworm`, imported as an image;
#   golang:$GO_VERSION-bookworm  that Debian with gcc and the Go toolchain of this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
GO_VERSION=$(sed -n 's/^go //p' go.work)
have() { docker image inspect "$1" >/dev/null 2>&1; }
pull() { timeout 60 docker pull -q "$1" >/dev/null 2>&1; }

if ! have debian:bookworm-slim && ! pull debian:bookworm-slim; then
	echo "== building debian:bookworm-slim with debootstrap (no registry reachable)" >&2
	command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
	root=$(mktemp -d /tmp/mxbridges-rootfs.XXXXXX)
	debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >&2
	rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
	tar -C "$root" -c . | docker import --change 'CMD ["/bin/bash"]' - debian:bookworm-slim >/dev/null
	rm -rf "$root"
fi

if ! have "golang:$GO_VERSION-bookworm" && ! pull "golang:$GO_VERSION-bookworm"; then
	echo "== building golang:$GO_VERSION-bookworm from this machine's Go (no registry reachable)" >&2
	goroot=$(go env GOROOT)
	case "$(go env GOVERSION)" in
	"go$GO_VERSION"*) ;;
	*) echo "this machine has $(go env GOVERSION), the suite needs go$GO_VERSION" >&2; exit 1 ;;
	esac
	ctx=$(mktemp -d /tmp/mxbridges-goimage.XXXXXX)
	cp -a "$goroot" "$ctx/go"
	# Machines without a registry may also reach the Go module proxy only through a proxy of
	# their own with its own certificate authority: give the stand-in the host's extra CAs.
	mkdir -p "$ctx/ca"
	cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
	cp docker/golang.Dockerfile "$ctx/Dockerfile"
	DOCKER_BUILDKIT=0 docker build -q --network host -t "golang:$GO_VERSION-bookworm" "$ctx" >/dev/null
	rm -rf "$ctx"
fi
echo "base images ready: debian:bookworm-slim golang:$GO_VERSION-bookworm" >&2
