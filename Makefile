# The two commands of the Quick start, and a few helpers. Everything else is CMake.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080

.PHONY: run test check fuzz deps build build-dev format bench bench-registry bench-tlog bench-pdf clean

## make run: install what is missing, build, migrate, serve http://127.0.0.1:8080 (SQLite, mail to var/mail)
run:
	@scripts/install-deps.sh run
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j$(JOBS) --target sengen
	@mkdir -p var/mail
	./build/release/sengen migrate --db sqlite:var/sengen.db
	./build/release/sengen serve --listen $(LISTEN) --db sqlite:var/sengen.db --mail file:var/mail --operator-profile demo

## make test: install what tests need, build with warnings as errors and with AddressSanitizer and
## UBSan (the asan preset), run every test through CTest against that one build
## (docs/adr/0066-every-test-runs-under-the-sanitizers.md)
test:
	@scripts/install-deps.sh test
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j$(JOBS)
	@ctest --preset asan

## make check: clang-tidy over src/ (the sanitized tests are part of make test)
check:
	@scripts/install-deps.sh check
	@cmake --preset asan >/dev/null
	@time scripts/clang-tidy.sh build/asan

## make fuzz: the libFuzzer targets of fuzz/ (clang), each for FUZZ_SECONDS (default 30), one at a time
FUZZ_SECONDS ?= 30
fuzz:
	@scripts/install-deps.sh fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) scripts/fuzz.sh $(FUZZ_TARGETS)

build:
	@cmake --preset dev >/dev/null && cmake --build --preset dev -j$(JOBS)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

bench:
	@scripts/install-deps.sh bench
	@bench/http.sh

## make bench-registry: the declaration lookups over 1,000,000 declarations on SQLite and PostgreSQL
bench-registry:
	@scripts/install-deps.sh bench
	@bench/registry.sh

## make bench-tlog: the transparency log's cost to confirming (SQLite, PostgreSQL) and its tiles against nginx
bench-tlog:
	@scripts/install-deps.sh bench
	@bench/tlog.sh

## make bench-pdf: the report PDF against a headless Chromium printing the same report page
bench-pdf:
	@scripts/install-deps.sh test
	@bench/report_pdf.sh

clean:
	rm -rf build
