#!/bin/bash
# Runs every auth-service benchmark against the service run.sh started (port 9100): for each case a 10 s warm-up,
# then a measured run (DURATION, default 20s), and the service's RSS after it. CASES picks cases, default all four.
# Measure after a first full pass: C2 keeps compiling for the first minutes of load.
set -uo pipefail
cd "$(dirname "$0")/../.."
PID=$(cat /tmp/authbench/auth.pid)
DURATION=${DURATION:-20s}
auth-service/bench/prepare.sh
run() { # name connections script path
  [ "$1" = refresh ] && auth-service/bench/prepare.sh tokens
  wrk -t2 -c"$2" -d10s -s "$3" "http://localhost:9100$4" >/dev/null
  [ "$1" = refresh ] && auth-service/bench/prepare.sh tokens
  echo "== $1 ($2 connections)"
  wrk -t2 -c"$2" -d"$DURATION" --latency -s "$3" "http://localhost:9100$4" | grep -E "Requests/sec|50%|99%|Non-2xx|errors"
  echo "RSS $(( $(ps -o rss= -p "$PID") / 1024 )) MB"
}
for c in ${CASES:-cc introspect refresh login}; do
  case $c in
    cc) run cc 32 auth-service/bench/cc.lua /oauth2/token ;;
    introspect) run introspect 32 /tmp/authbench/introspect.lua /oauth2/introspect ;;
    refresh) run refresh 16 auth-service/bench/refresh.lua /api/v1/auth/refresh ;;
    login) run login 8 auth-service/bench/login.lua /api/v1/auth/login ;;
  esac
done
