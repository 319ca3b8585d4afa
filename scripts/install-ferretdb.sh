#!/usr/bin/env bash
# Builds FerretDB v1.24.2 into $(go env GOPATH)/bin/ferretdb, unless that
# version is already there. `go install …@v1.24.2` alone builds a binary that
# panics at start: FerretDB embeds build/version/version.txt, which its
# release tooling generates and the module does not contain. So the module
# source is copied, that file written, and the command built from the copy.
set -euo pipefail
FERRETDB_VERSION=v1.24.2
bin="$(go env GOPATH)/bin/ferretdb"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "version: ${FERRETDB_VERSION}"; then
  echo "FerretDB ${FERRETDB_VERSION} already in ${bin}" >&2
  exit 0
fi
mod="github.com/FerretDB/FerretDB@${FERRETDB_VERSION}"
GOFLAGS=-mod=mod go mod download "$mod"
src="$(go list -m -f '{{.Dir}}' "$mod" 2>/dev/null || true)"
if [ -z "$src" ]; then
  # Outside a Go module `go list -m` needs one: read the module cache path from `go mod download -json`.
  src="$(go mod download -json "$mod" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
fi
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -R "$src/." "$work/"
chmod -R u+w "$work"
printf '%s\n' "$FERRETDB_VERSION" > "$work/build/version/version.txt"
mkdir -p "$(dirname "$bin")"
(cd "$work" && go build -trimpath -o "$bin" ./cmd/ferretdb)
"$bin" --version >&2
