# Sourced by serve and ci.sh: the venv, the pinned requirements, the
# agent-mira wheel, and a throwaway PostgreSQL cluster.
#
# Env: MIRA_FASTAPI_VENV (default examples/fastapi/.venv), PYTHON (python3),
#      MIRA_WHEEL (an agent-mira wheel to install instead of building one).

mira_here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mira_root="$(cd "$mira_here/../.." && pwd)"
mira_venv="${MIRA_FASTAPI_VENV:-$mira_here/.venv}"
mira_py="$mira_venv/bin/python"

# mira_venv_setup: the venv with exactly requirements.txt (skipped when the
# file has not changed since the last install).
mira_venv_setup() {
  if [ ! -x "$mira_py" ]; then
    "${PYTHON:-python3}" -m venv "$mira_venv"
  fi
  local stamp="$mira_venv/.requirements.sha256" want
  want="$(sha256sum "$mira_here/requirements.txt" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$mira_py" -m pip install --quiet --disable-pip-version-check -r "$mira_here/requirements.txt"
    echo "$want" > "$stamp"
  fi
}

# mira_wheel_install [always]: install $MIRA_WHEEL, or build the wheel from
# this checkout with maturin (as bindings-python/ci.sh does) and install it.
# Without "always", nothing happens when agent_mira already imports.
mira_wheel_install() {
  if [ -n "${MIRA_WHEEL:-}" ]; then
    "$mira_py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$MIRA_WHEEL"
    return
  fi
  if [ "${1:-}" != "always" ] && (cd / && "$mira_py" -c 'import agent_mira' 2>/dev/null); then
    return
  fi
  local out
  out="$(mktemp -d)"
  (cd "$mira_root/bindings-python" && "$mira_venv/bin/maturin" build --release --locked --out "$out")
  "$mira_py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$out"/agent_mira-*.whl
  rm -rf "$out"
}

# mira_pg_bin: the newest installed PostgreSQL's bin directory (installing
# Debian's postgresql when there is none).
mira_pg_bin() {
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "PostgreSQL is not installed; as root: apt-get install -y postgresql" >&2
      return 1
    fi
    echo "installing Debian's postgresql" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1
}

mira_free_port() {
  "${PYTHON:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# mira_pg_start PORT: a throwaway cluster on 127.0.0.1 (docs/TOOLCHAIN.md pitfall
# 8); sets MIRA_PG_DIR, MIRA_PG_BIN and DATABASE_URL. initdb refuses root, so
# as root the server runs as the postgres user.
mira_pg_start() {
  local port="$1" as=()
  MIRA_PG_BIN="$(mira_pg_bin)"
  MIRA_PG_DIR="$(mktemp -d)"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$MIRA_PG_DIR"
    as=(runuser -u postgres --)
  fi
  chmod 700 "$MIRA_PG_DIR"
  "${as[@]}" "$MIRA_PG_BIN/initdb" -D "$MIRA_PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$MIRA_PG_BIN/pg_ctl" -D "$MIRA_PG_DIR/data" -l "$MIRA_PG_DIR/log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $MIRA_PG_DIR -c fsync=off" start >/dev/null
  "$MIRA_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres mira
  DATABASE_URL="postgresql://postgres@127.0.0.1:$port/mira"
  export DATABASE_URL
}

mira_pg_stop() {
  [ -n "${MIRA_PG_DIR:-}" ] && [ -d "$MIRA_PG_DIR" ] || return 0
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$MIRA_PG_BIN/pg_ctl" -D "$MIRA_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$MIRA_PG_DIR"
  MIRA_PG_DIR=""
}
