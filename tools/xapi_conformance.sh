#!/usr/bin/env bash
# Run the ADL LRS conformance test suite (github.com/adlnet/lrs-conformance-test-suite)
# against this platform's LRS at /xapi, for xAPI 2.0.0 and 1.0.3, and print both counts.
#
#   tools/xapi_conformance.sh                 # fresh SQLite demo database, port 8411
#   XAPI_PORT=8412 tools/xapi_conformance.sh
#   DATABASE_URL=postgres://... tools/xapi_conformance.sh
#
# Needs network access to GitHub and npm once; the suite is cloned to a cache folder outside
# the checkout (XAPI_SUITE_DIR, default ~/.cache/openvet/lrs-conformance-test-suite) and never
# committed. Needs node and npm. One server answers both runs; each run uses a client made for
# its version, under which a request that names no xAPI version is refused (ADR 0418).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.venv/bin"
PORT="${XAPI_PORT:-8411}"
SUITE="${XAPI_SUITE_DIR:-$HOME/.cache/openvet/lrs-conformance-test-suite}"
WORK="$(mktemp -d)"
export OPENVET_DEMO=true
export DATABASE_URL="${DATABASE_URL:-sqlite:///$WORK/xapi.sqlite3}"

if [ ! -d "$SUITE/.git" ]; then
  mkdir -p "$(dirname "$SUITE")"
  git clone --depth 1 https://github.com/adlnet/lrs-conformance-test-suite.git "$SUITE"
fi
(cd "$SUITE" && [ -d node_modules ] || npm install --no-audit --no-fund >/dev/null)

"$BIN/openvet" migrate --no-input -v0
"$BIN/openvet" demo >/dev/null
SCHOOL="$("$BIN/python" - <<'PY'
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.base")
django.setup()
from openvet.core.models import OrgKind, OrgUnit
print(OrgUnit.objects.filter(kind=OrgKind.SCHOOL).order_by("code").values_list("code", flat=True)[0])
PY
)"
client() {  # $1: the xAPI version of the client's content; prints "KEY SECRET"
  local made
  made="$("$BIN/openvet" lrs create-client "conformance $1" --school "$SCHOOL" --read --write \
    --xapi-version "$1")"
  echo "$(sed -n 's/^key: //p' <<<"$made") $(sed -n 's/^secret: //p' <<<"$made")"
}
read -r KEY_2 SECRET_2 <<<"$(client 2.0.0)"
read -r KEY_1 SECRET_1 <<<"$(client 1.0.3)"

SERVER=""
start_server() {
  "$BIN/uvicorn" openvet.config.asgi:application \
    --host 127.0.0.1 --port "$PORT" --log-level warning &
  SERVER=$!
  for _ in $(seq 1 60); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/xapi/about" && return 0
    sleep 1
  done
  echo "the server did not start" >&2
  return 1
}
stop_server() { [ -n "$SERVER" ] && kill "$SERVER" && wait "$SERVER" 2>/dev/null || true; }
trap stop_server EXIT

run_suite() {  # $1: xAPI version of the suite, $2 $3: the client's key and secret
  (cd "$SUITE" && node bin/console_runner.js -x "$1" -e "http://127.0.0.1:$PORT/xapi" \
    -a -u "$2" -p "$3" -z 2>/dev/null | grep '"total"' | tail -1)
}

start_server
echo "2.0.0: $(run_suite 2.0.0 "$KEY_2" "$SECRET_2")"
echo "1.0.3: $(run_suite 1.0.3 "$KEY_1" "$SECRET_1")"
