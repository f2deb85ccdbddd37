#!/usr/bin/env bash
# Installs what building and running Routerly need, from Debian's registry: the compiler and
# build tools, the libraries it links, and Node.js/npm (the dashboard bundle and the tokenizer
# data are built with them). Test tools are in install-test-deps.sh.
# Idempotent: does nothing when everything is already present.
set -euo pipefail
exec "$(dirname "$0")/apt-install.sh" \
  build-essential cmake ninja-build pkg-config ccache \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
  libssl-dev libsqlite3-dev libpq-dev libsodium-dev libspdlog-dev libcli11-dev libpcre2-dev \
  libcurl4-openssl-dev \
  nodejs npm
