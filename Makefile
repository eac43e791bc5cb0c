# gssfault developer targets. Everything is fetched through go.mod or pinned
# here; nothing is installed by hand.

GO            ?= go
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME      ?= 10s
FUZZTIME_LONG ?= 60s
BENCH_OUT     := .bench

# The nested modules (adapters with heavy dependencies of their own): make
# test and make lint run in each. The examples are in the core module;
# examples/examples_test.go builds and runs them.
ADAPTERS := $(patsubst %/go.mod,%,$(wildcard adapters/*/go.mod))

# Every fuzz target, as package:Target.
FUZZ_TARGETS := \
	./codes:FuzzParse \
	./registry:FuzzLoad \
	./vsphere/release:FuzzParse \
	./vsphere:FuzzClassify \
	./vsphere:FuzzParseSOAPFault \
	./httpmap:FuzzParseBody \
	./httpmap/openapi:FuzzInject \
	./httpmap/openapi:FuzzInjectAliases \
	./faults:FuzzFromStatus \
	./internal/errwalk:FuzzWalk \
	./internal/wirepb:FuzzWireCompatible \
	./grpcstatus:FuzzParseStatusText \
	./cmd/protoc-gen-gssfault/internal/codesfile:FuzzEncode

.PHONY: all deps test test-adapters vet lint fmt-check generate check-generate proto demo bench fuzz fuzz-long tools clean

all: lint test

## deps: the system tools Go modules cannot provide (protoc, chromium);
## make test calls it and goes on, with those tests skipped, where it
## cannot install them.
deps:
	@scripts/install-deps.sh --best-effort

## test: go vet, then every test with the race detector (the examples and
## the adapter modules too), then a short fuzz run.
test: deps vet
	$(GO) test -race -count=1 ./...
	@# The allocation guards skip under -race, which changes the counts.
	$(GO) test -count=1 -run 'Allocations' ./grpcstatus ./httpmap/gateway ./vsphere
	$(MAKE) --no-print-directory test-adapters
	$(MAKE) --no-print-directory fuzz FUZZTIME=3s

## test-adapters: go vet and go test -race in each nested adapter module.
test-adapters:
	@set -e; for d in $(ADAPTERS); do \
		echo "== $$d"; \
		(cd $$d && $(GO) vet ./... && $(GO) test -race -count=1 ./...); \
	done

vet:
	$(GO) vet ./...

## lint: gofmt diff, go vet and staticcheck (pinned, fetched by go run), in
## the core module and each adapter module.
lint: fmt-check vet
	$(GO) run $(STATICCHECK) ./...
	@# gssfault and gssctl build wherever Go does, not only on Unix.
	GOOS=windows $(GO) build ./...
	@set -e; for d in $(ADAPTERS); do \
		(cd $$d && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./...); \
	done

fmt-check:
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## generate: regenerate code from the catalog; check-generate fails if stale.
generate:
	$(GO) generate ./...
	$(GO) run ./cmd/gssctl docs > docs/gssctl.md
	$(GO) run ./cmd/gssctl catalog --format md -o docs/catalog.md

check-generate: generate
	@git diff --exit-code -- codes/catalog.go docs/gssctl.md docs/catalog.md || (echo "generated files are stale: run make generate"; exit 1)

## proto: regenerate the Go code of the .proto files with protoc (install it
## with scripts/install-deps.sh) and the protoc-gen-go of go.mod's protobuf
## version. TestGeneratedCodeIsCurrent (in make test) fails when it is stale.
PROTOC ?= protoc
MODULE := github.com/gssfault/gssfault
EXAMPLEPB := cmd/protoc-gen-gssfault/internal
proto:
	@mkdir -p bin
	$(GO) build -o bin/protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go
	$(GO) build -o bin/protoc-gen-gssfault ./cmd/protoc-gen-gssfault
	$(PROTOC) -I proto --plugin=protoc-gen-go=bin/protoc-gen-go \
		--go_out=. --go_opt=module=$(MODULE) gssfault/v1/options.proto
	$(PROTOC) -I internal/wirepb --plugin=protoc-gen-go=bin/protoc-gen-go \
		--go_out=internal/wirepb --go_opt=paths=source_relative errorinfo.proto
	$(PROTOC) -I proto -I cmd/protoc-gen-gssfault/testdata/googleapis -I $(EXAMPLEPB) \
		--plugin=protoc-gen-go=bin/protoc-gen-go --plugin=protoc-gen-gssfault=bin/protoc-gen-gssfault \
		--go_out=$(EXAMPLEPB) --go_opt=paths=source_relative \
		--gssfault_out=$(EXAMPLEPB) --gssfault_opt=paths=source_relative \
		examplepb/vm.proto
	@# The tests hold the codes file to the hand-written testdata/vm.gssfault.json.
	rm $(EXAMPLEPB)/examplepb/vm.gssfault.json
	@# The examples' gRPC, grpc-gateway and OpenAPI code (plugins pinned in
	@# tools/go.mod).
	examples/internal/vmpb/gen.sh

## demo: the main job (see README).
demo:
	$(GO) run ./cmd/gssctl demo

## bench: every benchmark, ours beside the anchors, -count=5 in one run;
## raw (benchstat) output in .bench/bench.txt, then the table of medians.
BENCH_PKGS := ./registry ./vsphere ./grpcstatus ./httpmap/gateway
bench:
	@mkdir -p $(BENCH_OUT)
	$(GO) test -run='^$$' -bench=. -benchmem -count=5 $(BENCH_PKGS) | tee $(BENCH_OUT)/bench.txt
	@$(GO) run ./internal/cmd/benchtable < $(BENCH_OUT)/bench.txt | tee $(BENCH_OUT)/table.md

## fuzz: each fuzz target for FUZZTIME (short; make test runs it). Every
## target runs even if an earlier one fails; the failures are listed at the
## end and make fails. A crasher is written to the package's testdata/fuzz.
fuzz:
	@failed=""; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed"; exit 1; fi

## fuzz-long: each fuzz target for FUZZTIME_LONG.
fuzz-long:
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME_LONG)

clean:
	rm -rf $(BENCH_OUT)
