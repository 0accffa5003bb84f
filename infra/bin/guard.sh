#!/usr/bin/env bash
# guard.sh OWNER_PID COMMAND [ARGS...]
# Runs COMMAND and ends it (TERM, then KILL after a grace period) when this guard is told to stop
# or when OWNER_PID is gone, even if the owner died by SIGKILL. This is what keeps a crashed test
# run or a killed `pnpm dev` from leaving a java or redis-server process behind.
# OWNER_PID 0 means "no owner" (infra:up; infra:down stops it by this guard's PID).
set -u
owner=$1
shift
"$@" &
child=$!

stop_child() {
  kill -TERM "$child" 2>/dev/null
  for _ in $(seq 1 150); do
    kill -0 "$child" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$child" 2>/dev/null
}
trap 'stop_child; exit 0' TERM INT HUP

while kill -0 "$child" 2>/dev/null; do
  if [ "$owner" != 0 ] && ! kill -0 "$owner" 2>/dev/null; then
    stop_child
    exit 0
  fi
  sleep 0.5 &
  wait $!
done
wait "$child"
exit $?
