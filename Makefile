# Make targets mirror CI: .ci/run calls `make test` with CI=true.
GO       ?= go
PKGS     := ./...
FUZZTIME ?= 5s
# ARGS: extra flags for `make run`, e.g. make run ARGS='--addr 127.0.0.1:9000'.
ARGS     ?=
# JOBS: how many `make test` steps run side by side (JOBS=1: one after another). Two, for the two
# cores: a third step beside the race tests slowed them enough to time out an upstream call.
JOBS     ?= 2

.PHONY: run test unit fuzz fuzz-cql fuzz-storage e2e e2e-deps bench load sim generate check-generate lint gofmt build image \
	ci/generate ci/lint ci/unit ci/fuzz ci/e2e-deps ci/e2e

## run: the service on the embedded default (SQLite, local master key, built-in simulator with demo data)
run:
	$(GO) run ./cmd/confluence-graph serve --demo $(ARGS)

## test: every check CI runs: gofmt, go vet, staticcheck, generated-code drift, unit and integration
## tests (race detector), short fuzz runs, e2e checks. Steps that do not depend on each other run
## side by side (up to JOBS at a time, in the order below); each step's output is printed in one
## piece when it ends.
##
##   ci/e2e-deps   npm ci for e2e/ and Debian's chromium, if missing   (network; starts at once)
##   ci/generate   check-generate                                       (first: it rewrites graph/*.go)
##   ci/lint       gofmt, go vet, staticcheck                           (after ci/generate)
##   ci/unit       go test -race                                        (after ci/generate)
##   ci/fuzz       both fuzz targets, side by side                      (after ci/generate)
##   ci/e2e        e2e/run.sh                                           (after ci/generate, ci/e2e-deps)
test:
	+@s=$$(date +%s); $(MAKE) --no-print-directory -j$(JOBS) --output-sync=target ci/lint ci/unit ci/fuzz ci/e2e; \
	  rc=$$?; echo "== make test: $$(( $$(date +%s) - s ))s, exit $$rc"; exit $$rc

# step runs one make target and prints its wall time (steps overlap, so the times add up to more
# than the whole run).
step = +@s=$$(date +%s); $(MAKE) --no-print-directory $(1); rc=$$?; \
	echo "== $@: $$(( $$(date +%s) - s ))s, exit $$rc"; exit $$rc

ci/e2e-deps:
	$(call step,e2e-deps)
ci/generate:
	$(call step,check-generate)
ci/lint: ci/generate
	$(call step,lint)
ci/unit: ci/generate
	$(call step,unit)
ci/fuzz: ci/generate
	$(call step,fuzz)
ci/e2e: ci/generate ci/e2e-deps
	$(call step,e2e)

## unit: the Go tests with the race detector (go vet runs in lint)
unit:
	$(GO) test -race -count=1 $(PKGS)

## fuzz: a few seconds of each fuzz target (never panics, round-trips hold); `make -j2 fuzz` runs both at once
fuzz: fuzz-cql fuzz-storage
fuzz-cql:
	$(GO) test ./cql -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=$(FUZZTIME)
fuzz-storage:
	$(GO) test ./confluence/storage -run='^$$' -fuzz='^FuzzToMarkdown$$' -fuzztime=$(FUZZTIME)

## e2e: graphql-http audit, Apollo Federation composition + gateway, browser tests (Node 20, chromium)
e2e:
	bash e2e/run.sh

## e2e-deps: only install what e2e needs (npm ci in e2e/, Debian's chromium as root), if missing
e2e-deps:
	bash e2e/run.sh --deps-only

## bench: benchmarks against the simulator, with the naive baselines and the GraphQL Mesh baseline
## (bench/mesh: its npm packages are installed first, then its test checks it against the naive
## client), and incident correlation on its corpus against two search baselines; each rewrites its
## section of bench/RESULTS.md
bench:
	npm ci --prefix bench/mesh --no-audit --no-fund
	$(GO) test -tags meshbench ./bench ./bench/load -run='^TestMesh' -count=1
	$(GO) test ./bench -run='^$$' -bench=. -benchmem -benchtime=3x
	$(GO) test ./server -run='^$$' -bench='FieldGuard|UnguardedValidation' -benchtime=10x
	$(GO) run ./bench/cmd/report
	$(GO) run ./bench/correlation
	$(GO) run ./bench/load
	$(GO) run ./bench/retention

## load: the load check (about a minute): the service as serve runs it, with 50 clients on a cached and on the nested query
## (beside the naive agents), then a burst of 200 nested queries of one tenant; rewrites its section of bench/RESULTS.md
load:
	npm ci --prefix bench/mesh --no-audit --no-fund
	$(GO) run ./bench/load

## image: the container image as an OCI tarball, built without a Docker daemon (docker load / crane push bin/image.tar)
image:
	$(GO) run ./build/image -o bin/image.tar

## sim: the Confluence Cloud simulator with the demo dataset
sim:
	$(GO) run ./cmd/confluence-graph sim --addr 127.0.0.1:9090 --dataset demo

## generate: gqlgen code and the GraphiQL bundle (both committed)
generate:
	$(GO) generate ./graph ./server/playground

## check-generate: regenerate and fail if that changed any generated file (gqlgen output, GraphiQL bundle)
GENERATED = find graph server/playground/dist -type f \( -name '*.go' -o -path '*/dist/*' \) | LC_ALL=C sort | xargs sha256sum
check-generate:
	@$(GENERATED) > .generated.before
	@$(MAKE) --no-print-directory generate
	@$(GENERATED) > .generated.after
	@if ! diff -u .generated.before .generated.after; then rm -f .generated.before .generated.after; \
	  echo "check-generate: generated code drifted; run 'make generate' and commit the result"; exit 1; fi
	@rm -f .generated.before .generated.after

## lint: gofmt, go vet, staticcheck (vet and staticcheck share the build cache, so run them in this order)
lint: gofmt
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

## gofmt: the files git knows (tracked and untracked, not ignored) are gofmt-clean. Outside a git
## checkout it refuses rather than pass: git ls-files would list nothing and nothing would be checked.
gofmt:
	@if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  echo "gofmt: $(CURDIR) is not a git checkout; lint lists the Go files with git ls-files, so run it in a clone" >&2; exit 1; fi
	@files=$$(git ls-files -co --exclude-standard '*.go') || exit 1; \
	  if [ -z "$$files" ]; then echo "gofmt: git lists no Go files; refusing to pass without checking any" >&2; exit 1; fi; \
	  out=$$(gofmt -l $$files) || exit 1; \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## build: bin/confluence-graph (what `apikey` and the other subcommands run from)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/confluence-graph ./cmd/confluence-graph
