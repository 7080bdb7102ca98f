#!/usr/bin/env bash
# Installs pnpm and every workspace dependency, then runs the default example offline (no API key needed).
set -euo pipefail
cd "$(dirname "$0")/.."

want=12.4.2
if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  npm install -g "pnpm@$want" >/dev/null
fi

# better-sqlite3 compiles against Node's headers. When they were installed with Node, point node-gyp at them so
# the build needs no download (pnpm does not pass npm's own `nodedir` setting on).
nodedir="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$nodedir/include/node/node.h" ]; then
  export npm_config_nodedir="$nodedir"
fi

pnpm install --frozen-lockfile
pnpm example
