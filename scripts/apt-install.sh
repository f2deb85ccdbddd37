#!/usr/bin/env bash
# Installs the named Debian packages that are not installed yet, without recommended packages.
# Used by install-deps.sh and install-test-deps.sh. Node is often installed outside dpkg (e.g.
# from NodeSource or a tarball, bringing its own npm): a working `node` / `npm` command counts.
set -euo pipefail

missing=()
for p in "$@"; do
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
