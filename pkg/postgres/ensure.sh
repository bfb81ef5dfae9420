#!/usr/bin/env bash
# ensure.sh: make sure a PostgreSQL server answers on 127.0.0.1:5432.
#
# Uses a server that already answers; otherwise starts an installed cluster, and installs
# Debian's postgresql first if there is none. A cluster this script sets up gets the password
# "postgres" for the postgres role, which is what the test helpers use by default
# (MXB_POSTGRES_URL overrides them).
set -euo pipefail

answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p 5432 -t 2
  else
    (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
  fi
}

if answers; then
  echo "postgres: a server answers on 127.0.0.1:5432" >&2
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "postgres: nothing answers on 127.0.0.1:5432 and installing one needs root; start a server or set MXB_POSTGRES_URL" >&2
  exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo "postgres: installing Debian's postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

version=$(ls /etc/postgresql | sort -V | tail -n1)
echo "postgres: starting cluster $version/main" >&2
pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || pg_ctlcluster "$version" main start >&2

for _ in $(seq 1 50); do
  answers && break
  sleep 0.2
done
answers || { echo "postgres: cluster $version/main started but 127.0.0.1:5432 does not answer" >&2; exit 1; }

su postgres -c "psql -q -c \"ALTER ROLE postgres PASSWORD 'postgres'\"" >&2
echo "postgres: ready on 127.0.0.1:5432" >&2
