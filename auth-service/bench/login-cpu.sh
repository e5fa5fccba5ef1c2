#!/bin/bash
# Benchmark only (not a test). Password logins against the service run.sh started (port 9100 or BENCH_PORT): a 10 s
# warm-up, then a measured run (DURATION, default 30s, 8 connections over 200 users) reporting the rate, the
# service's CPU time per login (user + system, from /proc: what a login costs whatever else loads the machine) and
# the load average. On a machine shared with other work the rate moves with the load; CPU per login does much less.
# Usage: auth-service/bench/run.sh && auth-service/bench/login-cpu.sh
# Another instance (e.g. an A/B against an older jar on the same infrastructure): BENCH_PORT=9101 BENCH_PID=<its pid>.
set -euo pipefail
cd "$(dirname "$0")/../.."
PID=${BENCH_PID:-$(cat /tmp/authbench/auth.pid)}
PORT=${BENCH_PORT:-9100}
DURATION=${DURATION:-30s}
# 200 users (registering one that exists is a harmless 409); SKIP_PREPARE=1 when they exist already.
[ -n "${SKIP_PREPARE:-}" ] || auth-service/bench/prepare.sh >/dev/null
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
wrk -t2 -c8 -d10s -s auth-service/bench/login.lua "http://localhost:$PORT/api/v1/auth/login" >/dev/null
before=$(cpu)
out=$(wrk -t2 -c8 -d"$DURATION" --latency -s auth-service/bench/login.lua "http://localhost:$PORT/api/v1/auth/login")
after=$(cpu)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
echo "$out" | grep -E "Requests/sec|50%|99%|Non-2xx|errors" || true
awk -v t="$(getconf CLK_TCK)" -v c=$((after - before)) -v n="$requests" \
  'BEGIN {printf "service CPU per login: %.1f ms (%d logins, %.1f CPU s)\n", c * 1000 / t / n, n, c / t}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
