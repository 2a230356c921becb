# sports-data — see README.md.
SHELL := /bin/bash
GO ?= go
BIN := bin/sports-data
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
INFLUXDB_PORT ?= 18086
export INFLUXDB_PORT
# InfluxDB 2.7 and 3 Core of make test: unset, the first free port from
# 18096 and 18181 (scripts/influxdb2-test.sh, scripts/influxdb3-test.sh).
ifdef INFLUXDB2_PORT
export INFLUXDB2_PORT
endif
ifdef INFLUXDB3_PORT
export INFLUXDB3_PORT
endif

.PHONY: run build test test-unit bench load soak fuzz fuzz-ci lint influxdb-start influxdb-stop mosquitto-start mosquitto-stop demo clean

## run: start the service on :8005 with the embedded store in ./data
# The binary runs itself, not under `go run`: go run exits 1 when the
# program is interrupted, so Ctrl-C would end in a make error.
run: build
	$(abspath $(BIN))

## build: a static binary in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/sports-data

# Tests that own their resources run side by side (t.Parallel); most of
# their time is spent waiting on the services they start.
TEST_PARALLEL ?= 4

## test: the whole suite with the race detector, against real InfluxDB 1.8, 2.7 and 3 Core servers and a real Mosquitto started for the run; calendar feeds read by Python's ical (scripts/ical-venv.sh)
test:
	$(GO) vet ./...
	@scripts/ical-venv.sh >/dev/null || echo "make test: Python's ical library is not installed; the calendar feeds are not read by it (scripts/ical-venv.sh)"
	scripts/with-influxdb.sh scripts/with-mosquitto.sh $(GO) test -race -count=1 -parallel $(TEST_PARALLEL) -timeout 20m ./...

## test-unit: the suite without starting InfluxDB (its tests skip)
test-unit:
	$(GO) test -race -count=1 ./...

## bench: Go benchmarks, with the InfluxDB servers of make test
bench:
	scripts/with-influxdb.sh $(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./...

## load: requests/s and p99 of the main routes at 50 clients, beside a bare net/http handler
load: build
	$(GO) run ./cmd/loadcheck -bin $(BIN) -clients $${CLIENTS:-50} -duration $${DURATION:-10s}

## soak: a simulated NFL, NHL and MLS week with faults through the binary, on SQLite and on InfluxDB 1.8, 2.7 and 3 Core (minutes)
soak: build
	scripts/influxdb-test.sh build
	scripts/influxdb2-test.sh install
	scripts/influxdb3-test.sh install
	$(GO) run ./cmd/soak -bin $(BIN) -days 7 $(SOAK_FLAGS)

## soak-short: one busy simulated Sunday the same way (minutes; an InfluxDB not built or unpacked is skipped, a failure with CI=true)
.PHONY: soak-short
soak-short: build
	scripts/influxdb2-test.sh install || true
	scripts/influxdb3-test.sh install || true
	$(GO) run ./cmd/soak -bin $(BIN) -days 1 $(SOAK_FLAGS)

## e2e-ha: Home Assistant 2026.11 and 2025.4 (pinned, cached outside the repository) run deployments/homeassistant/, MQTT discovery and the TeamTracker card in Chromium against a simulated game (about 15 minutes)
.PHONY: e2e-ha
e2e-ha: build
	scripts/e2e-ha.sh

## demo: the service against the built-in season simulator, no network needed (SPEED=60 DEMO_PORT=8005)
demo: build
	$(abspath $(BIN)) demo --speed $${SPEED:-60} --port $${DEMO_PORT:-8005}

## fuzz-ci: every fuzz target for a few seconds each
fuzz-ci:
	GO=$(GO) scripts/fuzz-ci.sh

# staticcheck's version, fetched through the Go module proxy on first use.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

## lint: formatting, vet and staticcheck
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

influxdb-start:
	scripts/influxdb-test.sh start

influxdb-stop:
	scripts/influxdb-test.sh stop

mosquitto-start:
	scripts/mosquitto-test.sh start

mosquitto-stop:
	scripts/mosquitto-test.sh stop

clean:
	rm -rf bin
