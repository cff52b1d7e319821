#!/usr/bin/env bash
# Runs the outside-in checks (graphql-http audit, Apollo Federation
# composition + gateway, browser tests) against a freshly started
# `confluence-graph serve --demo`, then stops it. Called by `make test`.
#
# First it installs what is missing, and only that: the npm packages of
# e2e/ from the lockfile (npm ci, when node_modules is absent or older than
# package-lock.json) and Debian's chromium (apt-get update + apt-get install
# chromium, when /usr/bin/chromium or $CG_CHROMIUM is absent; needs root, as
# in CI, and fails with a message otherwise). Node itself is not installed.
#
# Usage: run.sh               install what is missing, then run the checks
#        run.sh --deps-only   install what is missing, then exit (make test
#                             starts this at once, beside the Go steps)
#
# Environment:
#   CG_URL            set it (with CG_READER_KEY, CG_ADMIN_KEY, CG_SIM_HOST,
#                     CG_ACCOUNTS; see env.mjs) to test an already running
#                     service instead of starting one.
#   CG_E2E_SERVE      command that starts the service in place of the built
#                     binary's `serve --demo --addr 127.0.0.1:0`; it must print
#                     the same lines.
#   CG_E2E_START_SECS how long to wait for those lines (default 120).
#   GO                the go command (default go), as in the Makefile.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "e2e: npm ci (e2e/node_modules)"
	npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -x "${CG_CHROMIUM:-/usr/bin/chromium}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "e2e: ${CG_CHROMIUM:-/usr/bin/chromium} is missing; install Debian's chromium (apt-get install chromium) as root" >&2
		exit 1
	fi
	echo "e2e: installing chromium"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ "${1:-}" = --deps-only ]; then
	echo "e2e: npm packages and chromium are in place"
	exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cg-e2e.XXXXXX")"
server_pid=""
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${CG_URL:-}" ]; then
	if [ -n "${CG_E2E_SERVE:-}" ]; then
		serve=(bash -c "$CG_E2E_SERVE")
	else
		echo "e2e: building confluence-graph"
		(cd "$root" && CGO_ENABLED=0 "${GO:-go}" build -trimpath -o "$work/confluence-graph" ./cmd/confluence-graph)
		serve=("$work/confluence-graph" serve --demo --addr 127.0.0.1:0 --metrics-addr 127.0.0.1:0)
	fi
	# The service runs in its own directory so its data/ is fresh and the
	# developer's data/ is left alone.
	mkdir -p "$work/run"
	(cd "$work/run" && exec "${serve[@]}") >"$work/stdout" 2>"$work/stderr" &
	server_pid=$!

	line() { sed -n "s/^$1: //p" "$work/stdout" "$work/stderr" | head -n 1; }
	deadline=$((SECONDS + ${CG_E2E_START_SECS:-120}))
	until [ -n "$(line playground)" ] && [ -n "$(line 'reader key')" ] && [ -n "$(line 'admin key')" ] &&
		[ -n "$(line 'base url')" ] && grep -q '^account: ' "$work/stdout" "$work/stderr"; do
		if ! kill -0 "$server_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
			echo "e2e: the service did not print its playground, key, base url and account lines; its output:" >&2
			cat "$work/stdout" "$work/stderr" >&2
			exit 1
		fi
		sleep 0.2
	done
	sleep 0.2 # let the last account lines arrive

	export CG_URL="$(line playground)"
	export CG_READER_KEY="$(line 'reader key')"
	export CG_ADMIN_KEY="$(line 'admin key')"
	base_url="$(line 'base url')"
	sim_host="${base_url#*://}"
	export CG_SIM_HOST="${sim_host%%/*}"
	export CG_ACCOUNTS="$(cat "$work/stdout" "$work/stderr" | sed -n 's/^account: //p')"
	echo "e2e: service at $CG_URL (simulator $CG_SIM_HOST, $(printf '%s\n' "$CG_ACCOUNTS" | wc -l) accounts)"
fi

status=0
node --test --test-concurrency=1 env.test.mjs audit.test.mjs federation.test.mjs browser.test.mjs || status=$?
if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
	echo "e2e: the service exited during the tests; its output:" >&2
	cat "$work/stdout" "$work/stderr" >&2
	status=1
fi
exit "$status"
