#!/usr/bin/env bash
# Build step (CMake custom command): writes <out dir>/o200k_base.tiktoken and the expected
# sample counts. Installs the pinned js-tiktoken from the npm registry first when missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build.sh <output dir>}"
if [ ! -f "$here/node_modules/js-tiktoken/package.json" ] ||
   [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
fi
node "$here/generate.mjs" "$out"
