# payout: see README.md. All targets are deterministic and need only Go (and xmllint for the XSD test).
GO      ?= go
BIN     := bin/payout
DEMO_PERIOD ?= 2022-12

.PHONY: all build test demo bench fuzz-short vet clean check-render

all: build

build:
	$(GO) build -o $(BIN) ./cmd/payout

vet:
	$(GO) vet ./...

## test: every test, the conformance examples, and a short fuzz run of the readers
test: vet
	$(GO) test -count=1 ./...
	$(MAKE) --no-print-directory fuzz-short

## fuzz-short: a few seconds of fuzzing per reader (crashers are kept in testdata/fuzz)
fuzz-short:
	$(GO) test ./importers -run='^$$' -fuzz='^FuzzReadCSV$$' -fuzztime=5s
	$(GO) test ./importers -run='^$$' -fuzz='^FuzzReadXLSX$$' -fuzztime=5s
	$(GO) test ./importers -run='^$$' -fuzz='^FuzzStreamIsWhole$$' -fuzztime=5s
	$(GO) test ./importers/iso20022 -run='^$$' -fuzz='^FuzzRead$$' -fuzztime=5s

## demo: the main job on the embedded Oslo data set
demo: build
	$(BIN) run --period $(DEMO_PERIOD) --fixtures fixtures/oslo --out out

## bench: the measurements of issue 6 (workloads cached in bench-data/, Go benchmarks, whole-process
## wall and peak RSS) written into BENCHMARKS.md; slow, not part of test. SEED=N BENCH=regexp SKIP_GO=1
bench:
	./scripts/bench.sh

## check-render: the Oslo workbooks printed by LibreOffice (installed from Debian when missing) and
## their pages checked: one page wide, every Sum row with its table, a district within 12 pages; not part of test
check-render:
	./scripts/check-render.sh

clean:
	rm -rf bin out
