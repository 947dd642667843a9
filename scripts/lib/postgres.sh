# A throwaway PostgreSQL for the tests: a fresh cluster in a temporary folder, on a loopback port,
# stopped by stop_test_postgres. Sourced by scripts/test and scripts/bench-load (after
# prerequisites.sh). Exports REGISTRATURA_TEST_POSTGRES_URL (loopback TCP) and
# REGISTRATURA_TEST_POSTGRES_SOCKET_URL (the same database through the server's local socket). `start_test_postgres durable` keeps
# PostgreSQL's own defaults for writing to disk (fsync, synchronous commit), as a region runs it;
# without it the tests skip fsync, which changes nothing they check.

POSTGRES_PACKAGES=(postgresql)

_postgres_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Runs a PostgreSQL program as the cluster's owner: PostgreSQL refuses to run as root.
_as_postgres_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  ensure_debian_packages "${POSTGRES_PACKAGES[@]}"
  local durability="-c fsync=off"
  [ "${1:-}" = durable ] && durability=""
  local bin
  bin=$(_postgres_bin)
  [ -n "$bin" ] || { echo "PostgreSQL's programs were not found under /usr/lib/postgresql" >&2; return 1; }
  TEST_POSTGRES_DIR=$(mktemp -d /tmp/registratura-postgres-XXXXXX)
  chmod 755 "$TEST_POSTGRES_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$TEST_POSTGRES_DIR"
  TEST_POSTGRES_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  _as_postgres_owner "$bin/initdb" -D "$TEST_POSTGRES_DIR/data" -U registratura --auth=trust -E UTF8 --locale=C.UTF-8 > "$TEST_POSTGRES_DIR/initdb.log" 2>&1 \
    || { cat "$TEST_POSTGRES_DIR/initdb.log" >&2; return 1; }
  _as_postgres_owner "$bin/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -l "$TEST_POSTGRES_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$TEST_POSTGRES_PORT -c unix_socket_directories=$TEST_POSTGRES_DIR $durability -c max_connections=200" start > /dev/null \
    || { cat "$TEST_POSTGRES_DIR/server.log" >&2; return 1; }
  _as_postgres_owner "$bin/createdb" -h 127.0.0.1 -p "$TEST_POSTGRES_PORT" -U registratura registratura
  export REGISTRATURA_TEST_POSTGRES_URL="postgres://registratura@127.0.0.1:$TEST_POSTGRES_PORT/registratura"
  export REGISTRATURA_TEST_POSTGRES_SOCKET_URL="postgres://registratura@/registratura?host=$TEST_POSTGRES_DIR&port=$TEST_POSTGRES_PORT"
  echo "PostgreSQL for the tests at 127.0.0.1:$TEST_POSTGRES_PORT"
}

stop_test_postgres() {
  [ -n "${TEST_POSTGRES_DIR:-}" ] || return 0
  _as_postgres_owner "$(_postgres_bin)/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$TEST_POSTGRES_DIR"
  TEST_POSTGRES_DIR=
}
