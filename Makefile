# Make targets mirror CI: .ci/run calls `make test` with CI=true.
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 5s

.PHONY: run test unit fuzz e2e bench load sim generate check-generate lint build

## run: the service on the embedded default (SQLite, local master key, built-in simulator with demo data)
run:
	$(GO) run ./cmd/confluence-graph serve --demo

## test: lint, generated-code drift, unit and integration tests (race detector), short fuzz runs, e2e checks
test: lint check-generate unit fuzz e2e

unit:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

## fuzz: a few seconds of each fuzz target (never panics, round-trips hold)
fuzz:
	$(GO) test ./cql -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=$(FUZZTIME)
	$(GO) test ./confluence/storage -run='^$$' -fuzz='^FuzzToMarkdown$$' -fuzztime=$(FUZZTIME)

## e2e: graphql-http audit, Apollo Federation composition + gateway, browser tests (Node 20, chromium)
e2e:
	bash e2e/run.sh

## bench: benchmarks against the simulator, with the naive baselines; rewrites its section of bench/RESULTS.md
bench:
	$(GO) test ./bench -run='^$$' -bench=. -benchmem -benchtime=3x
	$(GO) run ./bench/cmd/report
	$(GO) run ./bench/load

## load: concurrent clients against an in-process `serve --demo`; writes its section of bench/RESULTS.md
load:
	$(GO) run ./bench/load

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

## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

build:
	$(GO) build -o bin/confluence-graph ./cmd/confluence-graph
