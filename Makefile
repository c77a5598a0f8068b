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

## fuzz-short: a few seconds of fuzzing per reader (crashers are kept in testdata/fuzz).
## Each run is bounded by a number of inputs, not by time: with a duration,
## Go 1.26's fuzzing coordinator can report its own deadline as a failure
## ("context deadline exceeded", no failing input: golang/go#75804, fixed in
## Go 1.27). The counts are about 4 s each on a 2-core machine.
fuzz-short:
	$(GO) test ./importers -run='^$$' -fuzz='^FuzzReadCSV$$' -fuzztime=25000x
	$(GO) test ./importers -run='^$$' -fuzz='^FuzzReadXLSX$$' -fuzztime=60000x
	$(GO) test ./importers -run='^$$' -fuzz='^FuzzStreamIsWhole$$' -fuzztime=25000x
	$(GO) test ./importers/iso20022 -run='^$$' -fuzz='^FuzzRead$$' -fuzztime=50000x
	$(GO) test ./payout/bank -run='^$$' -fuzz='^FuzzDecodeOpen$$' -fuzztime=150000x
	$(GO) test ./payout -run='^$$' -fuzz='^FuzzParsePolicy$$' -fuzztime=15000x

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
