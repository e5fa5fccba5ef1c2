#!/usr/bin/env bash
# Gateway benchmark (not a test): wrk direct to a static nginx upstream, through the gateway with a cached JWT, and
# with an API key (exchanged once, then cached). Real Redis (rate limits, deny-list), full security chain.
# Needs: wrk, nginx (Debian), the gateway jar (./mvnw -o -q -B -pl gateway package -DskipTests), JDK 25.
# Usage: gateway/bench/run-benchmark.sh [duration=30s] [connections=64]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DUR=${1:-30s}; CONN=${2:-64}
W=$(mktemp -d /tmp/gwbench.XXXX); cd "$W"
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
NIMBUS=$(ls ~/.m2/repository/com/nimbusds/nimbus-jose-jwt/10.10/nimbus-jose-jwt-10.10.jar)
"$JAVA" -cp "$NIMBUS" "$ROOT/gateway/bench/BenchTokens.java"     # jwks.json, user.jwt, apikey.jwt
REDIS_JAR=$(ls ~/.m2/repository/com/github/codemonstur/embedded-redis/*/embedded-redis-*.jar | head -1)
unzip -o -q "$REDIS_JAR" redis-server-6.2.6-v5-linux-amd64 && chmod +x redis-server-6.2.6-v5-linux-amd64
./redis-server-6.2.6-v5-linux-amd64 --port 26379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$W/redis.pid" --logfile "$W/redis.log"
cat > nginx.conf <<NGINX
worker_processes 1; pid $W/nginx.pid; error_log $W/nginx-error.log warn;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $W/b; proxy_temp_path $W/p; fastcgi_temp_path $W/f; uwsgi_temp_path $W/u;
  scgi_temp_path $W/s; keepalive_requests 1000000; default_type application/json;
  server { listen 127.0.0.1:18081;
    location = /oauth2/jwks { return 200 '$(cat jwks.json)'; }
    location = /internal/api-keys/exchange { return 200 '{"access_token":"$(cat apikey.jwt)","token_type":"Bearer","expires_in":7000,"api_key_id":"k1","scope":"claims:read"}'; }
    location / { return 200 '{"connections":[{"id":"c1","provider_name":"trellis","status":"active"}]}'; } } }
NGINX
nginx -c "$W/nginx.conf"
cat > bench.yml <<YML
spring:
  application: {name: gateway}
  cloud:
    config: {enabled: false}
    discovery:
      enabled: true
      client: {simple: {instances: {provider-connection-service: [{uri: "http://127.0.0.1:18081"}]}}}
eureka: {client: {enabled: false}}
YML
MALLOC_ARENA_MAX=2 "$JAVA" ${GW_JAVA_OPTS:--XX:+UseSerialGC -XX:+UseCompactObjectHeaders -Xms32m -Xmx128m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k -XX:ReservedCodeCacheSize=40m -XX:MaxMetaspaceSize=160m} \
  -jar "$ROOT/gateway/target/gateway.jar" \
  --spring.config.location=file:$ROOT/deploy/config-repo/application.yml,file:$ROOT/deploy/config-repo/gateway.yml,file:$W/bench.yml \
  --clinicwave.gateway.port=18080 --management.server.port=18090 \
  --spring.data.redis.host=127.0.0.1 --spring.data.redis.port=26379 --spring.kafka.bootstrap-servers=127.0.0.1:19099 \
  --clinicwave.gateway.jwt.jwk-set-uri=http://127.0.0.1:18081/oauth2/jwks \
  --clinicwave.gateway.api-keys.exchange-uri=http://127.0.0.1:18081/internal/api-keys/exchange \
  --clinicwave.gateway.api-keys.client-secret=bench \
  --clinicwave.gateway.rate-limit.authenticated.limit=1000000000 \
  --management.tracing.sampling.probability=${SAMPLING:-1.0} --management.tracing.export.zipkin.enabled=false \
  --logging.level.org.apache.kafka=ERROR ${GW_ARGS:-} > gateway.log 2>&1 &
GW=$!
trap 'kill $GW; nginx -c "$W/nginx.conf" -s stop; kill $(cat "$W/redis.pid")' EXIT
until curl -sf -o /dev/null http://127.0.0.1:18090/actuator/health; do sleep 2; done
T=$(cat user.jwt)
wrk -t2 -c"$CONN" -d20s -H "Authorization: Bearer $T" http://127.0.0.1:18080/api/connections > /dev/null   # warm-up
wrk -t2 -c"$CONN" -d20s -H "X-API-Key: cwk_bench" http://127.0.0.1:18080/api/connections > /dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== direct (nginx)";            wrk -t2 -c"$CONN" -d"$DUR" --latency http://127.0.0.1:18081/api/connections
echo "== gateway, cached JWT";       wrk -t2 -c"$CONN" -d"$DUR" --latency -H "Authorization: Bearer $T" http://127.0.0.1:18080/api/connections
echo "gateway RSS KB: $(ps -o rss= -p $GW)"
echo "== gateway, API key";          wrk -t2 -c"$CONN" -d"$DUR" --latency -H "X-API-Key: cwk_bench" http://127.0.0.1:18080/api/connections
echo "gateway RSS KB: $(ps -o rss= -p $GW)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
