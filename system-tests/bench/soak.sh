#!/usr/bin/env bash
# Soak benchmark of the whole suite (a script, not a test; issue 17). The patient journey mix through the gateway at
# a fixed rate for N minutes (wrk, paced wrk2-style by journey.lua): login, list providers, connections, claims,
# athena account, refresh, logout — one journey after another per wrk thread, as the demo user on one athenahealth
# connection (created through the sandbox when the user has none). Every minute is its own wrk run, so the p99 of
# the first and the last minute can be compared; each instance's RSS is read from /proc after every minute.
# Prints per minute: requests, errors, p50/p99, RSS total; at the end per instance RSS at start, after the first
# minute and at the end. Exit status 1 when a request failed or an instance's RSS grew more than 10 % (first minute
# → end; the first minute is the warm-up: JIT, pools, caches).
#
# Usage (suite stopped; it is started with the login rate limits raised, since every journey logs the same user in
# from one address):
#   flock /tmp/cw-suite.lock bash -c 'system-tests/bench/soak.sh [minutes=10] [rate=14 requests/s] [threads=2]; bin/platform down'
# Needs: wrk, jq, curl, the service jars (./mvnw -B -o -q package -DskipTests).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
MINUTES=${1:-10}; RATE=${2:-14}; THREADS=${3:-2}
GW=http://localhost:8080
RUN_DIR=${CLINICWAVE_RUN_DIR:-$ROOT/.run}
for tool in wrk jq curl; do command -v $tool >/dev/null || { echo "soak: $tool is not installed" >&2; exit 2; }; done

if curl -sf -m 3 -o /dev/null http://localhost:8090/actuator/health; then
  echo "soak: the suite is already running: its login rate limits (10 per user and 30 per address a minute) may answer 429"
else
  # The journey logs one user in RATE/7 times a second from 127.0.0.1: the per-user, per-address and credential
  # limits are policies, raised here so the soak measures the services.
  RATE_LIMIT_CREDENTIALS=100000 RATE_LIMIT_AUTHENTICATED=100000 RATE_LIMIT_ANONYMOUS=100000 \
    AUTH_LOGIN_RATE_PER_IP=100000 AUTH_LOGIN_RATE_PER_USERNAME=100000 bin/platform up --no-build | tail -3
fi

json() { curl -s -m 30 -H 'Content-Type: application/json' -H 'Accept: application/json' "$@"; }
TOKEN=$(json -X POST "$GW/api/v1/auth/login" -d '{"username":"demo","password":"demo-password-1","tenant":"clinicwave"}' | jq -r .access_token)
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { echo "soak: the demo login failed" >&2; exit 1; }
AUTH="Authorization: Bearer $TOKEN"
CONNECTION=$(json -H "$AUTH" "$GW/api/connections" | jq -r '[.. | objects | select(.provider_key? == "athenahealth" and (.status? // "active") == "active") | .id] | first // empty')
if [ -z "$CONNECTION" ]; then
  USER_ID=$(json -H "$AUTH" "$GW/api/v1/auth/me" | jq -r .id)
  TERMS=$(json -H "$AUTH" "$GW/api/providers/athenahealth/terms" | jq -r '.version // empty')
  OAUTH=$(json -H "$AUTH" -X POST "$GW/api/oauth/initiate" -d "$(jq -n --arg u "$USER_ID" --arg t "$TERMS" \
    '{provider_key:"athenahealth", consumer_id:$u, redirect_url:"http://localhost:8080/"} + (if $t == "" then {} else {accepted_terms_version:$t} end)')" | jq -r .oauth_url)
  CALLBACK=$(curl -s -m 30 -o /dev/null -w '%{redirect_url}' "$OAUTH&sandbox_patient=patient-003&sandbox_decision=approve")
  CONNECTION=$(json -H "$AUTH" "$CALLBACK" | jq -r .connection_id)
  [ -n "$CONNECTION" ] && [ "$CONNECTION" != null ] || { echo "soak: could not connect athenahealth" >&2; exit 1; }
  echo "soak: connected athenahealth for the demo user: $CONNECTION"
fi
for _ in $(seq 1 60); do # claims-service learns the connection from Kafka and syncs it
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$GW/api/connections/$CONNECTION/claims?page_size=20")" = 200 ] && break
  sleep 1
done

rss_all() { # "instance rss_kb" for every running instance of the run
  local f pid
  for f in "$RUN_DIR"/pids/*.pid; do
    pid=$(cat "$f"); [ -r "/proc/$pid/status" ] || continue
    local kb; kb=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
    # PostgreSQL and Redis are children of dev-infra: counted with it.
    for c in $(pgrep -P "$pid" 2>/dev/null) $(for c in $(pgrep -P "$pid" 2>/dev/null); do pgrep -P "$c"; done); do
      kb=$((kb + $(awk '/VmRSS/{print $2}' "/proc/$c/status" 2>/dev/null || echo 0)))
    done
    echo "$(basename "$f" .pid) $kb"
  done
}

OUT=$(mktemp -d /tmp/soak.XXXX)
rss_all >"$OUT/rss.0"
echo "soak: $MINUTES min at $RATE requests/s ($THREADS wrk threads, one connection each), connection $CONNECTION"
echo "soak: load average at start: $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT"
total=0; errors=0
for m in $(seq 1 "$MINUTES"); do
  SOAK_RATE=$RATE SOAK_THREADS=$THREADS SOAK_CONNECTION=$CONNECTION \
    wrk -t"$THREADS" -c"$THREADS" -d60s --timeout 10s -s system-tests/bench/journey.lua "$GW" >"$OUT/wrk.$m" 2>&1 || true
  line=$(grep '^SOAK' "$OUT/wrk.$m" || echo "SOAK requests=0 errors=1 (wrk failed: $(tail -1 "$OUT/wrk.$m"))")
  rss_all >"$OUT/rss.$m"
  n=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line"); e=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<<"$line")
  s=$(sed -n 's/.*socket_errors=\([0-9]*\).*/\1/p' <<<"$line")
  total=$((total + ${n:-0})); errors=$((errors + ${e:-1} + ${s:-0}))
  printf 'minute %2d: %s rss_total_mb=%d load=%s\n' "$m" "${line#SOAK }" \
    $(( $(awk '{s+=$2} END {print s+0}' "$OUT/rss.$m") / 1024 )) "$(cut -d' ' -f1 /proc/loadavg)"
done

echo "soak: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-36s %10s %10s %10s %9s\n' INSTANCE START_MB MIN1_MB END_MB GROWTH
grown=0
while read -r inst start; do
  min1=$(awk -v i="$inst" '$1==i {print $2}' "$OUT/rss.1"); end=$(awk -v i="$inst" '$1==i {print $2}' "$OUT/rss.$MINUTES")
  [ -n "$min1" ] && [ -n "$end" ] || { printf '%-36s %10d %10s %10s %9s\n' "$inst" $((start / 1024)) - - "gone"; grown=1; continue; }
  pct=$(awk -v a="$min1" -v b="$end" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
  awk -v p="$pct" 'BEGIN {exit !(p > 10)}' && grown=1
  printf '%-36s %10d %10d %10d %8s%%\n' "$inst" $((start / 1024)) $((min1 / 1024)) $((end / 1024)) "$pct"
done <"$OUT/rss.0"
first=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' "$OUT/wrk.1"); last=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' "$OUT/wrk.$MINUTES")
echo "soak: $total requests, $errors errors; p99 first minute ${first:-?} ms, last minute ${last:-?} ms"
[ "$errors" -eq 0 ] && [ "$grown" -eq 0 ]
