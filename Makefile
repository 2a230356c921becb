# sports-data — see README.md.
SHELL := /bin/bash
GO ?= go
BIN := bin/sports-data
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
INFLUXDB_PORT ?= 18086
export INFLUXDB_PORT

.PHONY: run build test test-unit bench load soak fuzz fuzz-ci lint influxdb-start influxdb-stop mosquitto-start mosquitto-stop demo clean

## run: start the service on :8005 with the embedded store in ./data
# The binary runs itself, not under `go run`: go run exits 1 when the
# program is interrupted, so Ctrl-C would end in a make error.
run: build
	$(abspath $(BIN))

## build: a static binary in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/sports-data

## test: the whole suite with the race detector, against a real InfluxDB 1.8 and a real Mosquitto started for the run
test:
	$(GO) vet ./...
	scripts/with-influxdb.sh scripts/with-mosquitto.sh $(GO) test -race -count=1 -timeout 20m ./...

## test-unit: the suite without starting InfluxDB (its tests skip)
test-unit:
	$(GO) test -race -count=1 ./...

## bench: Go benchmarks (InfluxDB ones run when SPORTS_DATA_TEST_INFLUXDB_URL is set)
bench:
	scripts/with-influxdb.sh $(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./...

## load: requests/s and p99 of the main routes at 50 clients, beside a bare net/http handler
load: build
	$(GO) run ./cmd/loadcheck -bin $(BIN) -clients $${CLIENTS:-50} -duration $${DURATION:-10s}

# The influxd that scripts/influxdb-test.sh builds.
SOAK_INFLUXD = $${INFLUXD_BIN_DIR:-$$($(GO) env GOPATH)/bin}/influxd-$${INFLUXDB_VERSION:-1.8.10}

## soak: a simulated NFL and NHL week with faults through the binary, on SQLite and on InfluxDB 1.8 (minutes)
soak: build
	scripts/influxdb-test.sh build
	$(GO) run ./cmd/soak -bin $(BIN) -days 7 -influxd "$(SOAK_INFLUXD)" $(SOAK_FLAGS)

## soak-short: one busy simulated Sunday the same way (about two minutes; InfluxDB part skipped when influxd is not built)
.PHONY: soak-short
soak-short: build
	$(GO) run ./cmd/soak -bin $(BIN) -days 1 -influxd "$(SOAK_INFLUXD)" $(SOAK_FLAGS)

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

## lint: formatting and vet
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

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
