# sports-data — see README.md.
SHELL := /bin/bash
GO ?= go
BIN := bin/sports-data
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
INFLUXDB_PORT ?= 18086
export INFLUXDB_PORT

.PHONY: run build test test-unit bench load soak fuzz fuzz-ci lint influxdb-start influxdb-stop demo clean

## run: start the service on :8005 with the embedded store in ./data
run:
	$(GO) run ./cmd/sports-data

## build: a static binary in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/sports-data

## test: the whole suite with the race detector, against a real InfluxDB 1.8 started for the run
test:
	$(GO) vet ./...
	scripts/with-influxdb.sh $(GO) test -race -count=1 -timeout 20m ./...

## test-unit: the suite without starting InfluxDB (its tests skip)
test-unit:
	$(GO) test -race -count=1 ./...

## bench: Go benchmarks (InfluxDB ones run when SPORTS_DATA_TEST_INFLUXDB_URL is set)
bench:
	scripts/with-influxdb.sh $(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./...

## load: requests/s and p99 of the main routes at 50 clients, beside a bare net/http handler
load: build
	$(GO) run ./cmd/loadcheck -bin $(BIN) -clients $${CLIENTS:-50} -duration $${DURATION:-10s}

## fuzz-ci: every fuzz target for a few seconds each
fuzz-ci:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-8s} -fuzzminimizetime 2s $$pkg; \
	  done; \
	done

## lint: formatting and vet
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

influxdb-start:
	scripts/influxdb-test.sh start

influxdb-stop:
	scripts/influxdb-test.sh stop

clean:
	rm -rf bin
