#!/usr/bin/env bash
# The README's two commands, each of which works on a fresh clone:
#   ./infra/platform.sh dev [--reset]   start the whole platform (pnpm dev)
#   ./infra/platform.sh test            lint, typecheck and every test (pnpm test)
# Before handing over to pnpm it installs what a new machine lacks: pnpm itself (the version
# pinned in package.json), the workspace's dependencies (frozen lockfile), redis-server and, for
# the tests, Debian's chromium, haproxy (`dev --replicas N` needs haproxy too) and promtool.
# Kafka's jars are fetched from Maven Central by the infra runner on first start.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "[setup] $*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))."
  exit 1
fi

pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  say "installing pnpm $pnpm_version"
  if ! npm install -g "pnpm@$pnpm_version" >/dev/null 2>&1; then
    npm install -g --prefix "$HOME/.local" "pnpm@$pnpm_version" >/dev/null
    export PATH="$HOME/.local/bin:$PATH"
  fi
fi

# The tests and the chaos run start redis-server processes of their own even when REDIS_URL is set.
if { [ -z "${REDIS_URL:-}" ] || [ "${1:-}" = test ]; } && ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing redis-server (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    say "redis-server is missing: install it (apt-get install redis-server) or set REDIS_URL."
    exit 1
  fi
fi

# Browser tests use Debian's Chromium (a tool's own browser download cannot work offline), with a
# CJK font so Chinese names and labels render in screenshots instead of boxes.
if [ "${1:-}" = test ] && { [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing chromium and fonts-noto-cjk (Debian packages) for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  elif [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    say "chromium is missing: install it (apt-get install chromium) or set CHROMIUM_PATH."
    exit 1
  else
    say "no CJK font: Chinese text will show as boxes in screenshots (apt-get install fonts-noto-cjk)"
  fi
fi

# HAProxy balances several instances of each service: the tests and `dev --replicas N` run it.
if { [ "${1:-}" = test ] || [[ " $* " == *" --replicas "* ]]; } && ! command -v haproxy >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing haproxy (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
  else
    say "haproxy is missing: install it (apt-get install haproxy)."
    exit 1
  fi
fi

# Every service's metrics test checks its /metrics with promtool, Prometheus's own linter.
if [ "${1:-}" = test ] && [ ! -x "${PROMTOOL_PATH:-/usr/bin/promtool}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing promtool (Debian package prometheus)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  else
    say "promtool is missing: install it (apt-get install prometheus) or set PROMTOOL_PATH."
    exit 1
  fi
fi

say "installing workspace dependencies (frozen lockfile)"
pnpm install --frozen-lockfile

export TURBO_TELEMETRY_DISABLED=1
case "${1:-}" in
  dev) shift; exec pnpm dev "$@" ;;
  test) shift; exec pnpm test "$@" ;;
  *)
    echo "usage: infra/platform.sh dev [--reset] | test" >&2
    exit 2
    ;;
esac
