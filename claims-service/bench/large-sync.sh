#!/usr/bin/env bash
# Connects the demo user to a sandbox FHIR provider as patient-large (100,000 claims) through the gateway and times
# callback -> all claims listed by GET /api/connections/{id}/claims. Then prints where the time went: the sync's
# stages from claims-service (claims_sync_stage_seconds: fetch, parse, write, writer idle, wall) and the sandbox's
# time serving the search pages (http_server_requests_seconds on /{provider}/fhir/ExplanationOfBenefit).
# Needs a running suite (bin/platform up) and python3; run it under the suite lock (docs/performance.md).
#   PROVIDER=epic EXPECTED=100000 KEEP=0 claims-service/bench/large-sync.sh
set -euo pipefail
GATEWAY=${GATEWAY:-http://localhost:8080}
CLAIMS=${CLAIMS:-http://localhost:8083}
SANDBOX=${SANDBOX:-http://localhost:9400}
PROVIDER=${PROVIDER:-epic}
PATIENT=${PATIENT:-patient-large}
EXPECTED=${EXPECTED:-100000}
KEEP=${KEEP:-0}
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
now() { date +%s.%N; }
metric() { # sum of a Prometheus series matching a regex, from one /actuator/prometheus
  curl -sf "$1/actuator/prometheus" | python3 -c '
import re,sys
total=0.0
for line in sys.stdin:
    if not line.startswith("#") and re.search(sys.argv[1], line):
        total += float(line.rsplit(" ",1)[1])
print(total)' "$2" || echo 0
}
stage() { metric "$CLAIMS" "^claims_sync_stage_seconds_sum\\{.*stage=\"$1\""; }
claims_cpu() { metric "$CLAIMS" '^process_cpu_time_ns_total'; }
postgres_cpu() { # CPU seconds of the suite's PostgreSQL: the postmaster listening on POSTGRES_PORT and its children
  python3 - "${POSTGRES_PORT:-15432}" <<'CPU'
import os,sys
tick=os.sysconf("SC_CLK_TCK"); procs={}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat=open(f"/proc/{pid}/stat").read().rsplit(")",1)[1].split()
        cmd=open(f"/proc/{pid}/cmdline").read().split("\0")
    except OSError:
        continue
    procs[pid]=(stat[1], int(stat[11])+int(stat[12]), int(stat[13])+int(stat[14]), cmd)
roots={p for p,(pp,t,c,cmd) in procs.items() if cmd and cmd[0].endswith("/postgres") and "-p" in cmd and cmd[cmd.index("-p")+1]==sys.argv[1]}
# the postmaster's own time, its live children's, and that of children it has reaped (autovacuum workers, ...)
print(sum(t + (c if p in roots else 0) for p,(pp,t,c,cmd) in procs.items() if p in roots or pp in roots)/tick)
CPU
}

token=$(curl -sf -H 'Content-Type: application/json' \
  -d '{"username":"demo","password":"demo-password-1","tenant":"clinicwave"}' "$GATEWAY/api/v1/auth/login" \
  | json 'd["access_token"]')
auth="Authorization: Bearer $token"
user=$(curl -sf -H "$auth" "$GATEWAY/api/v1/auth/me" | json 'd["id"]')
version=$(curl -sf -H "$auth" "$GATEWAY/api/providers/$PROVIDER/terms" | json 'd.get("version","")')
oauth_url=$(curl -sf -H "$auth" -H 'Content-Type: application/json' -d "{\"provider_key\":\"$PROVIDER\",
  \"consumer_id\":\"$user\",\"redirect_url\":\"http://localhost:8080/\",\"accepted_terms_version\":\"$version\"}" \
  "$GATEWAY/api/oauth/initiate" | json 'd["oauth_url"]')
callback=$(curl -s -o /dev/null -w '%{redirect_url}' "$oauth_url&sandbox_patient=$PATIENT&sandbox_decision=approve")

declare -A before
for s in fetch parse write writer_idle wall; do before[$s]=$(stage $s); done
served_before=$(metric "$SANDBOX" '^http_server_requests_seconds_sum\{.*uri="/\{provider\}/fhir/ExplanationOfBenefit"')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_before=$(claims_cpu); pg_before=$(postgres_cpu)

# The web journey: the browser's callback (anonymous) hands state and code back; the app completes as the user.
start=$(now)
back=$(curl -s -o /dev/null -w '%{redirect_url}' -H 'Accept: text/html' "$callback")
complete=$(python3 -c 'import json,sys,urllib.parse as u; q=dict(u.parse_qsl(u.urlparse(sys.argv[1]).query))
print(json.dumps({k:q[k] for k in ("state","code","iss") if k in q}))' "$back")
connection=$(curl -sf -H "$auth" -H 'Content-Type: application/json' -d "$complete" "$GATEWAY/api/oauth/complete" \
  | json 'd["connection_id"]')
connected=$(now)
listed=0
until [ "$listed" -ge "$EXPECTED" ]; do
  sleep 0.2
  listed=$(curl -s -H "$auth" "$GATEWAY/api/connections/$connection/claims?size=1" \
    | json 'd.get("page",{}).get("total_elements",0)' 2>/dev/null || echo 0)
  if python3 -c "import sys; sys.exit(0 if $(now) - $start > 300 else 1)"; then
    echo "gave up after 300 s with $listed claims listed" >&2; exit 1
  fi
done
end=$(now)
patient_name=$(curl -s -H "$auth" "$GATEWAY/api/connections/$connection/claims?size=1" \
  | json 'd["claims"][0].get("patient_name")' 2>/dev/null || echo '?')
sleep 1 # the run's stage timers are recorded as it finishes
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_after=$(claims_cpu); pg_after=$(postgres_cpu)
served_after=$(metric "$SANDBOX" '^http_server_requests_seconds_sum\{.*uri="/\{provider\}/fhir/ExplanationOfBenefit"')

python3 - "$start" "$connected" "$end" "$listed" <<PY
import sys
start, connected, end, listed = map(float, sys.argv[1:])
print(f"provider=$PROVIDER patient=$PATIENT claims_listed={int(listed)} patient_name of a claim: $patient_name")
print(f"callback -> all listed: {end-start:.1f} s (callback + complete {connected-start:.1f} s)")
print(f"sandbox serving EOB pages: {$served_after - $served_before:.1f} s (sum of request times)")
for name, b, a in (("fetch", ${before[fetch]}, $(stage fetch)), ("parse", ${before[parse]}, $(stage parse)),
                   ("write", ${before[write]}, $(stage write)), ("writer idle", ${before[writer_idle]}, $(stage writer_idle)),
                   ("sync wall", ${before[wall]}, $(stage wall))):
    print(f"claims-service {name}: {a-b:.1f} s")
print(f"claims-service process CPU: {($cpu_after - $cpu_before)/1e9:.1f} s; PostgreSQL CPU: {$pg_after - $pg_before:.1f} s")
print("load average before: $load_before, after: $load_after")
PY
if [ "$KEEP" != 1 ]; then
  curl -s -o /dev/null -X DELETE -H "$auth" "$GATEWAY/api/connections/$connection"
fi
