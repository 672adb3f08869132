# Quick start: `make run` (the service on an embedded Kafka with a demo fleet workload) and
# `make test` (installs what is missing, builds, runs the whole suite).
SWIFT ?= swift
APT_PACKAGES := liblz4-dev pkg-config prometheus libhiredis-dev redis-server librdkafka-dev libre2-dev
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
HOURS ?= 24
DATA_DIR ?= data

.PHONY: deps build release test run import-demo bench fuzz fuzz-build format clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) fuzz FUZZ_SECONDS=10 FUZZ_FLAGS=-seed=1

run: release
	DATA_DIR=$(DATA_DIR) scripts/run.sh

# A generated day imported with `tsdb import`, compacted, inspected and verified.
import-demo: release
	@mkdir -p $(DATA_DIR)
	.build/release/tsdb-bench generate --hours $(HOURS) --out $(DATA_DIR)/generated.jsonl
	.build/release/tsdb import --data-dir $(DATA_DIR) $(DATA_DIR)/generated.jsonl
	@rm -f $(DATA_DIR)/generated.jsonl
	.build/release/tsdb compact --data-dir $(DATA_DIR)
	.build/release/tsdb inspect --data-dir $(DATA_DIR)
	.build/release/tsdb verify --data-dir $(DATA_DIR)

# Every benchmark of the README's tables (the storage one generates and stores a full day: minutes).
bench: release
	.build/release/tsdb-bench storage
	.build/release/tsdb-bench query
	.build/release/tsdb-bench consumer
	.build/release/tsdb-bench alerts
	.build/release/tsdb-bench service

format:
	$(SWIFT) format --in-place --recursive Sources Tests Benchmarks Package.swift

clean:
	rm -rf .build

# libFuzzer over every parser and decoder of untrusted input (Sources/FuzzHarnesses): each
# harness runs FUZZ_SECONDS (default 60) from its seed corpus in Fuzz/corpus/<harness>; new
# inputs go to .build-fuzz/corpus, crashes to .build-fuzz/crash-<harness>-*.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS ?=
FUZZ_HARNESSES := event-json line-protocol wal-segment store-files rollup-codec column-codec promql http-parameters
fuzz-build: deps
	$(SWIFT) build --scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address -Xswiftc -DFUZZING \
		-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp --product tsdb-fuzz

fuzz: fuzz-build
	@for h in $(FUZZ_HARNESSES); do \
		mkdir -p .build-fuzz/corpus/$$h; \
		echo "fuzzing $$h for $(FUZZ_SECONDS) s"; \
		FUZZ_HARNESS=$$h .build-fuzz/debug/tsdb-fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-max_len=65536 -print_final_stats=1 $(FUZZ_FLAGS) -artifact_prefix=.build-fuzz/crash-$$h- \
			.build-fuzz/corpus/$$h Fuzz/corpus/$$h 2>.build-fuzz/$$h.log || { tail -40 .build-fuzz/$$h.log; exit 1; }; \
		grep -E "stat::number_of_executed_units|cov:" .build-fuzz/$$h.log | tail -2; \
	done
