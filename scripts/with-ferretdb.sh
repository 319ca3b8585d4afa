#!/usr/bin/env bash
# Runs a command with a FerretDB 1.24 server (the MongoDB wire protocol over
# its own embedded SQLite backend) listening on 127.0.0.1, MONGODB_URI
# pointing at it, and stops the server afterwards. With MONGODB_URI already
# set (a real MongoDB, or a FerretDB started elsewhere) it runs the command
# against that instead.
#
#   bash scripts/with-ferretdb.sh npm test
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${MONGODB_URI:-}" ]; then exec "$@"; fi

FERRETDB_VERSION=v1.24.2
bin="${FERRETDB_BIN:-}"
if [ -z "$bin" ] && command -v go >/dev/null 2>&1; then bin="$(go env GOPATH)/bin/ferretdb"; fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "FerretDB is not installed, so the MongoDB store cannot be tested here." >&2
  echo "With Go: npm run ferretdb:install (builds FerretDB ${FERRETDB_VERSION} into \$(go env GOPATH)/bin)" >&2
  echo "(or set FERRETDB_BIN to a ferretdb binary, or MONGODB_URI to a MongoDB server)." >&2
  exit 2
fi

dir="$(mktemp -d)"
port="${FERRETDB_PORT:-$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}"
"$bin" --handler=sqlite --sqlite-url="file:${dir}/?_txlock=immediate" --listen-addr="127.0.0.1:${port}" --state-dir="${dir}" \
  --debug-addr=- --telemetry=disable --log-level=warn >"${dir}/ferretdb.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

uri="mongodb://127.0.0.1:${port}/"
ping() {
  node --input-type=module -e '
    import mongoose from "mongoose";
    const c = await mongoose.createConnection(process.argv[1], { serverSelectionTimeoutMS: 500 }).asPromise();
    await c.db.admin().ping();
    await c.close();' "$uri" >/dev/null 2>&1
}
for _ in $(seq 1 100); do
  if ping; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "FerretDB stopped at start:" >&2
    cat "${dir}/ferretdb.log" >&2
    exit 1
  fi
  sleep 0.2
done
ping || { echo "FerretDB did not answer on ${uri}" >&2; cat "${dir}/ferretdb.log" >&2; exit 1; }
echo "FerretDB ${FERRETDB_VERSION} (SQLite backend) on ${uri}" >&2
MONGODB_URI="$uri" "$@"
