# Quick start: `make run` or `make test` on a fresh Debian 12 machine.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: deps system-deps configure build run test unit clean format npm-deps

TOKENIZER_STAMP := tools/tokenizer-data/node_modules/.installed-from-lock

DASHBOARD_STAMP := dashboard/node_modules/.installed-from-lock

deps: $(TOKENIZER_STAMP) $(DASHBOARD_STAMP)

system-deps:
	@./scripts/install-deps.sh

# js-tiktoken supplies the o200k_base ranks the build turns into build/data/ (count_tokens).
$(TOKENIZER_STAMP): tools/tokenizer-data/package-lock.json | system-deps
	npm ci --prefix tools/tokenizer-data --no-audit --no-fund --loglevel=error
	touch $@

# React, Vite, Vitest and playwright-core for the dashboard and its browser tests.
$(DASHBOARD_STAMP): dashboard/package-lock.json dashboard/package.json | system-deps
	npm ci --prefix dashboard --no-audit --no-fund --loglevel=error
	touch $@

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
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

test: build npm-deps
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

format:
	find src tests -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
