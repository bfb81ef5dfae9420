#!/usr/bin/env bash
# install.sh: put Synapse (from Debian sid) into a chroot cached outside the checkout.
#
# Synapse is packaged in no stable Debian suite, so we debootstrap a minimal sid tree and
# install matrix-synapse into it. The tree is reused when present: repeated runs and fresh
# clones on the same machine skip the install. Prints the chroot path on its last line.
#
#   MXB_SYNAPSE_ROOT   where the chroot lives (default: ${XDG_CACHE_HOME:-~/.cache}/mxbridges/synapse-sid)
#   MXB_DEBIAN_MIRROR  Debian mirror (default: the one apt already uses, else deb.debian.org)
set -euo pipefail

root="${MXB_SYNAPSE_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/mxbridges/synapse-sid}"
stamp="$root/.mxbridges-ready"

if [ -f "$stamp" ] && [ -x "$root/usr/bin/python3" ]; then
  echo "synapse: cached chroot at $root ($(cat "$stamp"))" >&2
  echo "$root"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "synapse: installing the chroot needs root (debootstrap, chroot); run as root or set MXB_SYNAPSE_ROOT to a ready chroot" >&2
  exit 1
fi

mirror="${MXB_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
    | grep -oE 'https?://[^ ]+' | head -n1 || true)
  mirror="${mirror:-http://deb.debian.org/debian}"
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "synapse: installing debootstrap" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
fi

partial="$root.partial"
rm -rf "$partial"
mkdir -p "$(dirname "$root")"
echo "synapse: debootstrap sid from $mirror into $partial (takes a minute or two)" >&2
debootstrap --variant=minbase sid "$partial" "$mirror" >&2

# No service may start inside the chroot while packages install.
printf '#!/bin/sh\nexit 101\n' >"$partial/usr/sbin/policy-rc.d"
chmod +x "$partial/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$partial/etc/resolv.conf" 2>/dev/null || true

# The mirror's sid Release file may be expired, hence Check-Valid-Until=false.
apt_opts=(-o Acquire::Check-Valid-Until=false -o Dpkg::Use-Pty=0)
chroot "$partial" apt-get "${apt_opts[@]}" update -qq >&2
chroot "$partial" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends matrix-synapse >&2
chroot "$partial" apt-get clean >&2

version=$(chroot "$partial" python3 -c 'import synapse; print(synapse.__version__)')
echo "synapse $version installed $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$partial/.mxbridges-ready"
rm -rf "$root"
mv "$partial" "$root"
echo "synapse: ready, version $version, at $root" >&2
echo "$root"
