#!/usr/bin/env bash
# Gateway benchmark (not a test). wrk against a static nginx upstream:
#   1. nginx direct;
#   2. a bare Spring Cloud Gateway route (bench/src/bench/BareGateway.java: the gateway jar's libraries, one lb://
#      route, no filters of ours, no security chain);
#   3. our gateway (the jar as deployed, deploy/config-repo/gateway.yml): cached JWT, then API key;
#   4. stock SCG + Spring Boot's resource server verifying RS256 on every request (StockResourceServerGateway.java).
# Real Redis (rate limits, deny-list), tracing on (sampling 1.0, Zipkin export off) in every gateway case.
# Needs: wrk, nginx (Debian), the gateway jar (./mvnw -o -q -B -pl gateway -am package -DskipTests), JDK 25.
# Usage: gateway/bench/run-benchmark.sh [duration=30s] [connections=32] [cases="nginx bare ours stock"]
# (cases: nginx, bare, ours, stock, baseline)
# Environment: WARMUP (40s, the first case of each JVM; 20s for the second; then 10 s more at a time while the JIT
# compiler threads still use a tenth of the CPU, up to WARMUP_MAX=150 seconds), SAMPLING (tracing, 1.0), GW_JAVA_OPTS,
# GW_ARGS (extra arguments for every gateway), BASELINE_JAR (case "baseline": another gateway jar, e.g. main's, measured
# like "ours" in the same run), JFR=1 (a JFR profile of each measured case, after its warm-up:
# $W/<case>.jfr; `jfr view hot-methods <file>`), BENCH_PORT (18080; upstream +1, management +10, Redis +20).
# Binds 127.0.0.1:18080/18081/18090/18100 only (not the suite's ports). About 6-7 minutes with the defaults.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DUR=${1:-30s}; CONN=${2:-32}; CASES=${3:-nginx bare ours stock}
PORT=${BENCH_PORT:-18080}; UP=$((PORT + 1)); MGMT=$((PORT + 10)); RPORT=$((PORT + 20))
for p in $PORT $UP $MGMT $RPORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "127.0.0.1:$p is in use (another benchmark?): BENCH_PORT=..." >&2; exit 1; fi
done
W=$(mktemp -d /tmp/gwbench.XXXX); cd "$W"
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAVAC=$(dirname "$JAVA")/javac
# bin/platform's gateway flags.
JVM_OPTS=${GW_JAVA_OPTS:--XX:+UseSerialGC -XX:+UseCompactObjectHeaders -Xms32m -Xmx128m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k -XX:ReservedCodeCacheSize=40m -XX:MaxMetaspaceSize=160m -XX:+ExitOnOutOfMemoryError}
NIMBUS=$(ls ~/.m2/repository/com/nimbusds/nimbus-jose-jwt/10.10/nimbus-jose-jwt-10.10.jar)
"$JAVA" -cp "$NIMBUS" "$ROOT/gateway/bench/BenchTokens.java"     # jwks.json, user.jwt, apikey.jwt
REDIS_JAR=$(ls ~/.m2/repository/com/github/codemonstur/embedded-redis/*/embedded-redis-*.jar | head -1)
unzip -o -q "$REDIS_JAR" redis-server-6.2.6-v5-linux-amd64 && chmod +x redis-server-6.2.6-v5-linux-amd64
./redis-server-6.2.6-v5-linux-amd64 --port $RPORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$W/redis.pid" --logfile "$W/redis.log"
cat > nginx.conf <<NGINX
worker_processes 1; pid $W/nginx.pid; error_log $W/nginx-error.log warn;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $W/b; proxy_temp_path $W/p; fastcgi_temp_path $W/f; uwsgi_temp_path $W/u;
  scgi_temp_path $W/s; keepalive_requests 1000000; default_type application/json;
  server { listen 127.0.0.1:$UP;
    location = /oauth2/jwks { return 200 '$(cat jwks.json)'; }
    location = /internal/api-keys/exchange { return 200 '{"access_token":"$(cat apikey.jwt)","token_type":"Bearer","expires_in":7000,"api_key_id":"k1","scope":"claims:read"}'; }
    location / { return 200 '{"connections":[{"id":"c1","provider_name":"trellis","status":"active"}]}'; } } }
NGINX
nginx -c "$W/nginx.conf"
# The jar's libraries, for the two comparison apps.
mkdir -p jar classes && (cd jar && unzip -q "$ROOT/gateway/target/gateway.jar" 'BOOT-INF/lib/*')
"$JAVAC" -q -d classes -cp "jar/BOOT-INF/lib/*" "$ROOT"/gateway/bench/src/bench/*.java 2>/dev/null \
  || "$JAVAC" -d classes -cp "jar/BOOT-INF/lib/*" "$ROOT"/gateway/bench/src/bench/*.java
cat > common.yml <<YML
spring:
  application: {name: gateway}
  cloud:
    config: {enabled: false}
    discovery:
      enabled: true
      client: {simple: {instances: {provider-connection-service: [{uri: "http://127.0.0.1:$UP"}]}}}
eureka: {client: {enabled: false}}
YML
cat > bare.yml <<YML
spring:
  cloud:
    gateway:
      server:
        webflux:
          routes:
            - {id: bare, uri: "lb://provider-connection-service", predicates: ["Path=/**"]}
YML
cat > stock.yml <<YML
spring:
  security:
    oauth2:
      resourceserver:
        jwt: {jwk-set-uri: "http://127.0.0.1:$UP/oauth2/jwks"}
YML
COMMON_ARGS="--server.port=$PORT --management.server.port=$MGMT --spring.data.redis.host=127.0.0.1
  --spring.data.redis.port=$RPORT --spring.kafka.bootstrap-servers=127.0.0.1:19099
  --management.tracing.sampling.probability=${SAMPLING:-1.0} --management.tracing.export.zipkin.enabled=false
  --logging.level.org.apache.kafka=ERROR --clinicwave.gateway.access-log=false"
GW=
JCMD=$(dirname "$JAVA")/jcmd
cleanup() {
  [ -n "$GW" ] && kill "$GW" 2>/dev/null
  nginx -c "$W/nginx.conf" -s stop
  local r; r=$(cat "$W/redis.pid"); kill "$r"
  # Gone before the script ends, so a next run can bind the same ports at once.
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$r" 2>/dev/null || break; sleep 0.5; done
}
trap cleanup EXIT
start() { # name, then the java command's tail
  local name=$1; shift
  MALLOC_ARENA_MAX=2 "$JAVA" $JVM_OPTS "$@" > "$name.log" 2>&1 &
  GW=$!
  until curl -sf -o /dev/null http://127.0.0.1:$MGMT/actuator/health; do
    kill -0 "$GW" 2>/dev/null || { echo "$name did not start:"; tail -30 "$name.log"; exit 1; }
    sleep 2
  done
}
stop() { # case name
  # NMT=1 (with -XX:NativeMemoryTracking=summary in GW_JAVA_OPTS): where the gateway's memory is, after the load.
  [ -n "${NMT:-}" ] && "$JCMD" "$GW" VM.native_memory summary > "$W/$1.nmt" && echo "NMT: $W/$1.nmt"
  kill "$GW"; wait "$GW" 2>/dev/null || true; GW=; sleep 2
}
cpu_ticks() { awk '{print $14+$15}' "/proc/$GW/stat"; }   # user+system, in clock ticks (1/100 s)
# The JIT compiler threads' part: on a loaded machine C2 may still be compiling after the warm-up.
jit_ticks() {
  local t s=0
  for t in /proc/"$GW"/task/*; do
    if grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null; then
      s=$(( s + $(awk '{print $14+$15}' "$t/stat" 2>/dev/null || echo 0) ))
    fi
  done
  echo "$s"
}
measure() { # case name, warm-up, label, wrk headers...
  local name=$1 warmup=$2 label=$3; shift 3
  # Warm-up: C2 compiles for a minute or more on a loaded machine; its CPU would otherwise count per request. After
  # the given warm-up, 10 s rounds until the JIT compiler threads used under a tenth of the process's CPU in the last
  # round (at most WARMUP_MAX seconds in all).
  wrk -t2 -c"$CONN" -d"$warmup" "$@" "http://127.0.0.1:$PORT/api/connections" > /dev/null
  local waited=${warmup%s} w0 w1 wj0 wj1
  while [ "$waited" -lt "${WARMUP_MAX:-150}" ]; do
    w0=$(cpu_ticks); wj0=$(jit_ticks)
    wrk -t2 -c"$CONN" -d10s "$@" "http://127.0.0.1:$PORT/api/connections" > /dev/null
    w1=$(cpu_ticks); wj1=$(jit_ticks); waited=$((waited + 10))
    [ $(( (wj1 - wj0) * 10 )) -lt $(( w1 - w0 )) ] && break
  done
  echo "(warm-up ${waited} s)"
  echo "== $label (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  local c0 c1 j0 j1 out n
  [ -n "${JFR:-}" ] && "$JCMD" "$GW" JFR.start name=bench settings=profile > /dev/null
  c0=$(cpu_ticks); j0=$(jit_ticks)
  out=$(wrk -t2 -c"$CONN" -d"$DUR" --latency "$@" "http://127.0.0.1:$PORT/api/connections")
  c1=$(cpu_ticks); j1=$(jit_ticks)
  [ -n "${JFR:-}" ] && "$JCMD" "$GW" JFR.stop name=bench filename="$W/$name.jfr" > /dev/null && echo "JFR: $W/$name.jfr"
  echo "$out" | grep -E "Requests/sec|  50%|  99%|Non-2xx|Socket errors"
  n=$(echo "$out" | awk '/requests in/{print $1}')
  # The gateway process's CPU per request (all its threads): much less sensitive to the machine's load than req/s.
  local jit=$(( j1 > j0 ? j1 - j0 : 0 ))
  echo "gateway CPU per request: $(( (c1 - c0) * 10000 / n )) us (JIT compiler threads: $(( jit * 10000 / n )) us)   RSS KB: $(ps -o rss= -p "$GW")   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
T=$(cat user.jwt)
WARM=${WARMUP:-40s}
for case in $CASES; do
  case $case in
    nginx)
      echo "== nginx direct (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
      wrk -t2 -c"$CONN" -d"$DUR" --latency "http://127.0.0.1:$UP/api/connections" | grep -E "Requests/sec|  50%|  99%" ;;
    bare)
      start bare -cp "classes:jar/BOOT-INF/lib/*" bench.BareGateway \
        --spring.config.location=file:$ROOT/deploy/config-repo/application.yml,file:$W/common.yml,file:$W/bare.yml \
        --spring.cloud.gateway.server.webflux.redis.enabled=false $COMMON_ARGS ${GW_ARGS:-}
      measure bare "$WARM" "bare SCG route, no filters"
      stop bare ;;
    ours|baseline)
      # "baseline": the same measurement of another build of the gateway (BASELINE_JAR, e.g. main's), in the same run.
      jar="$ROOT/gateway/target/gateway.jar"; tag=""
      [ "$case" = baseline ] && { jar=${BASELINE_JAR:?BASELINE_JAR: the gateway jar to compare with}; tag=" (baseline jar)"; }
      start "$case" -jar "$jar" \
        --spring.config.location=file:$ROOT/deploy/config-repo/application.yml,file:$ROOT/deploy/config-repo/gateway.yml,file:$W/common.yml \
        --clinicwave.gateway.jwt.jwk-set-uri=http://127.0.0.1:$UP/oauth2/jwks \
        --clinicwave.gateway.api-keys.exchange-uri=http://127.0.0.1:$UP/internal/api-keys/exchange \
        --clinicwave.gateway.api-keys.client-secret=bench \
        --clinicwave.gateway.rate-limit.authenticated.limit=1000000000 $COMMON_ARGS ${GW_ARGS:-}
      measure "$case-jwt" "$WARM" "our gateway$tag, cached JWT" -H "Authorization: Bearer $T"
      measure "$case-apikey" 20s "our gateway$tag, API key" -H "X-API-Key: cwk_bench"
      stop "$case" ;;
    stock)
      start stock -cp "classes:jar/BOOT-INF/lib/*" bench.StockResourceServerGateway \
        --spring.config.location=file:$ROOT/deploy/config-repo/application.yml,file:$W/common.yml,file:$W/bare.yml,file:$W/stock.yml \
        --spring.cloud.gateway.server.webflux.redis.enabled=false $COMMON_ARGS ${GW_ARGS:-}
      measure stock "$WARM" "stock SCG + resource server (RS256 every request)" -H "Authorization: Bearer $T"
      stop stock ;;
  esac
done
