#!/bin/bash
# Benchmark only (not a test): how long a failed first-party login takes for an unknown user, a wrong password
# and a locked account (issue 13, item 5: they must not be told apart by timing). Against the service started by
# run.sh (:9100 or BENCH_PORT, local profile). N sequential requests per case, interleaved, one client: the median
# and p90 of curl's time_total, in ms. Usage: bench/run.sh && bench/login-failures.sh [N]
set -euo pipefail
N=${1:-40}
BASE=http://localhost:${BENCH_PORT:-9100}/api/v1/auth
login() { curl -s -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' \
  -d "{\"tenant\":\"clinicwave\",\"username\":\"$1\",\"password\":\"$2\"}" "$BASE/login"; }
register() { curl -sf -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"tenant\":\"clinicwave\",\"username\":\"$1\",\"password\":\"timing-pass-1\"}" "$BASE/register"; }
stats() { sort -n | awk '{a[NR]=$1*1000} END {printf "median %.1f ms, p90 %.1f ms (n=%d)\n", a[int((NR+1)/2)], a[int(NR*0.9)], NR}'; }
RUN=$(date +%s%N | tail -c 7)
# Locked: one account, five wrong passwords lock it; then the right password, N times.
register "locked$RUN"
for _ in 1 2 3 4 5; do login "locked$RUN" wrong-pass-1 >/dev/null; done
# Wrong password: N accounts, one failure each (none reaches the lockout).
for i in $(seq 1 "$N"); do register "wrong$RUN-$i"; done
# Warm up the JIT on every path first.
for i in $(seq 1 20); do login "nobody$RUN-w$i" x-pass-1 >/dev/null; login "locked$RUN" timing-pass-1 >/dev/null; done
# Interleaved (one of each per round), so a change in the machine's load hits the three cases alike.
: >"/tmp/login-failures.$RUN.unknown"; : >"/tmp/login-failures.$RUN.wrong"; : >"/tmp/login-failures.$RUN.locked"
for i in $(seq 1 "$N"); do
  login "nobody$RUN-$i" timing-pass-1 >>"/tmp/login-failures.$RUN.unknown"
  login "wrong$RUN-$i" not-the-pass-1 >>"/tmp/login-failures.$RUN.wrong"
  login "locked$RUN" timing-pass-1 >>"/tmp/login-failures.$RUN.locked"
done
echo "unknown user:   $(stats <"/tmp/login-failures.$RUN.unknown")"
echo "wrong password: $(stats <"/tmp/login-failures.$RUN.wrong")"
echo "locked account: $(stats <"/tmp/login-failures.$RUN.locked")"
rm -f /tmp/login-failures.$RUN.*
echo "status codes:   $(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "{\"username\":\"nobody$RUN\",\"password\":\"x-pass-1\"}" $BASE/login) $(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "{\"username\":\"wrong$RUN-1\",\"password\":\"x-pass-1\"}" $BASE/login) $(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "{\"username\":\"locked$RUN\",\"password\":\"timing-pass-1\"}" $BASE/login)"
