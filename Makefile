# Quick start: `make run` or `make test` on a fresh Debian 12 machine.
# `make run` installs and builds only what the server needs; `make test` adds the test tools
# (GoogleTest, Chromium, wrk, ...) and builds and runs the suite in the same build directory.
BUILD_DIR ?= build
ASAN_BUILD_DIR ?= build-asan
JOBS ?= $(shell nproc)
# Line tables only (-g1): backtraces keep functions, files and lines, and the build takes a
# quarter less CPU than with full debug information. Configure with -g for variables in gdb.
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
# make fuzz: which harness (or all) and for how long each, in seconds.
FUZZ_HARNESS ?= all
FUZZ_SECONDS ?= 60

.PHONY: deps system-deps system-test-deps configure configure-tests build build-tests run test unit \
        test-asan fuzz clean format npm-deps

TOKENIZER_STAMP := tools/tokenizer-data/node_modules/.installed-from-lock

DASHBOARD_STAMP := dashboard/node_modules/.installed-from-lock

deps: $(TOKENIZER_STAMP) $(DASHBOARD_STAMP)

# Building and running: compiler, libraries, Node.js.
system-deps:
	@./scripts/install-deps.sh

# Testing: the above plus GoogleTest, Google Benchmark, wrk, Chromium, AFL++.
system-test-deps:
	@./scripts/install-test-deps.sh

# js-tiktoken supplies the o200k_base ranks the build turns into build/data/ (count_tokens).
$(TOKENIZER_STAMP): tools/tokenizer-data/package-lock.json | system-deps
	npm ci --prefix tools/tokenizer-data --no-audit --no-fund --loglevel=error
	touch $@

# React, Vite, Vitest and playwright-core for the dashboard and its browser tests.
$(DASHBOARD_STAMP): dashboard/package-lock.json dashboard/package.json | system-deps
	npm ci --prefix dashboard --no-audit --no-fund --loglevel=error
	touch $@

# A tree configured by `make test` keeps its tests; a new one is configured without them, so
# GoogleTest is not needed to run the server.
configure: deps
	@test -f $(BUILD_DIR)/build.ninja || cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) -DROUTERLY_BUILD_TESTS=OFF

configure-tests: deps system-test-deps
	@grep -qs '^ROUTERLY_BUILD_TESTS:BOOL=ON' $(BUILD_DIR)/CMakeCache.txt && test -f $(BUILD_DIR)/build.ninja \
	  || cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) -DROUTERLY_BUILD_TESTS=ON

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

build-tests: configure-tests
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/routerly serve

# The integration tests' npm packages (the official OpenAI and Anthropic SDKs), installed from
# the lock file only when node_modules is missing or older than the lock.
NPM_STAMP := tests/integration/node_modules/.installed-from-lock

$(NPM_STAMP): tests/integration/package-lock.json tests/integration/package.json | deps
	npm ci --prefix tests/integration --no-audit --no-fund
	touch $@

npm-deps: $(NPM_STAMP)

test: build-tests npm-deps
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

unit: build-tests
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

# The whole suite but the dashboard's (it tests no C++) against an AddressSanitizer +
# UndefinedBehaviorSanitizer build in its own directory: unit tests, fuzz corpus replays and
# the integration tests against the sanitized binary. Any report fails the run: ASan and UBSan
# abort, LeakSanitizer fails the process at exit, and the integration helpers fail a test whose
# server printed a report.
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:check_initialization_order=1 \
                 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# No optimisation and line tables only: half the compile time of -O1 (the suite is mostly I/O
# bound), still full stack traces.
ASAN_OPT_FLAGS := -O0 -g1 -DNDEBUG

test-asan: deps system-test-deps npm-deps
	@test -f $(ASAN_BUILD_DIR)/build.ninja || cmake -S . -B $(ASAN_BUILD_DIR) $(CMAKE_FLAGS) \
	  -DROUTERLY_SANITIZE=ON -DROUTERLY_BUILD_TESTS=ON -DROUTERLY_BUILD_DASHBOARD=OFF \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(ASAN_OPT_FLAGS)"
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	cd $(ASAN_BUILD_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) -LE dashboard

# Coverage-guided fuzzing with AFL++ under ASan/UBSan (tests/fuzz/run.sh), in build-fuzz.
fuzz: system-test-deps deps
	tests/fuzz/run.sh $(FUZZ_HARNESS) $(FUZZ_SECONDS)

format:
	find src tests -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR)
