# Shared helpers of the demo fleet's tools (sourced, never run). Every tool works on the host's
# sandbox ($HOME); the simulated app reads the same files, so a tool's effect shows in the metrics.
set -u
SANDBOX=${HOME:?HOME is not set}
TOOL=$(basename "$0")

die() {
  echo "$TOOL: $*" >&2
  exit 1
}

usage() {
  echo "usage: $*" >&2
  exit 64
}

# A field of ~/.demo (host, role, pool, stable), written when the fleet starts.
meta() {
  sed -n "s/^$1=//p" "$SANDBOX/.demo" 2>/dev/null | head -n 1
}

HOST=$(meta host)
ROLE=$(meta role)

# Refuses to run on the wrong kind of host, naming the kind it needs.
need_role() {
  for r in "$@"; do
    [ "$ROLE" = "$r" ] && return 0
  done
  die "$HOST is a $ROLE host; this needs a host of role: $* (check the host group of the step)"
}

# Replaces a file atomically, so the simulation never reads half a file.
put() {
  printf '%s\n' "$2" >"$1.tmp.$$" && mv "$1.tmp.$$" "$1"
}

# The release `current` points at.
current_version() {
  v=$(readlink "$SANDBOX/current" 2>/dev/null) || v=""
  basename "${v:-none}"
}

# Restarting is how the app picks up a new release or .env: bump the generation it watches,
# then wait (up to 3 s) until the app reports from that generation, as a service manager would.
restart_service() {
  mkdir -p "$SANDBOX/run"
  g=$(($(cat "$SANDBOX/run/generation" 2>/dev/null || echo 0) + 1))
  put "$SANDBOX/run/state" "${1:-running}"
  put "$SANDBOX/run/generation" "$g"
  n=0
  while [ "$(sed -n 's/^generation=//p' "$SANDBOX/run/health" 2>/dev/null)" != "$g" ] && [ "$n" -lt 30 ]; do
    sleep 0.1
    n=$((n + 1))
  done
}

# Pretends to work for a moment, so steps take visible time without slowing the demo down.
work() {
  sleep "${1:-0.1}"
}
