#!/bin/sh
# Rebuilds server/playground/dist (the committed GraphiQL bundle) from the
# pinned lockfile. Called by `make generate` and by `go generate` in
# server/playground. Needs Node 20+ and the npm registry on first run.
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
node build.mjs
