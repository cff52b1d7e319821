# Make targets mirror CI: .ci/run calls `make test` with CI=true.
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 5s

.PHONY: run test unit fuzz e2e bench load sim generate check-generate lint build

## run: the service on the embedded default (SQLite, local master key, built-in simulator with demo data)
run:
	$(GO) run ./cmd/confluence-graph serve --demo

## test: vet, unit and integration tests (race detector), short fuzz runs
test: unit fuzz e2e

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

## bench: benchmarks against the simulator, with the naive baselines
bench:
	@echo "make bench: benchmarks are not built yet (issue 5)"; exit 1

## load: concurrent clients against an in-process `serve --demo`; writes its section of bench/RESULTS.md
load:
	$(GO) run ./bench/load

## sim: the Confluence Cloud simulator with the demo dataset
sim:
	$(GO) run ./cmd/confluence-graph sim --addr 127.0.0.1:9090 --dataset demo

## generate: gqlgen code and the GraphiQL bundle (both committed)
generate:
	$(GO) generate ./graph ./server/playground

## check-generate: regenerate and fail if the committed output drifted
check-generate: generate
	@drift=$$(git status --porcelain -- schema.graphqls graph server/playground/dist); \
	  if [ -n "$$drift" ]; then echo "generated code drifted from the committed copy:"; echo "$$drift"; git diff --stat -- graph server/playground/dist; exit 1; fi

## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

build:
	$(GO) build -o bin/confluence-graph ./cmd/confluence-graph
