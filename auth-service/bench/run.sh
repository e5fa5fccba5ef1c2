#!/bin/bash
# Benchmark only (not a test). Starts what auth-service needs the way bin/platform does, so the figures are the
# deployed service's: the local infrastructure (platform/dev-infra: PostgreSQL with fsync on, Redis, a KRaft Kafka
# broker) in its own process, then auth-service's jar with the config repo's auth-service.yml + local profile,
# bin/platform's JVM flags for it, and no config-server or registry (read from deploy/config-repo/ directly).
# Login rate limits are lifted (the benchmark logs in from one IP); access log off; tracing not sampled.
# Needs `./mvnw -B -DskipTests package -pl auth-service,platform/dev-infra -am` first.
# Extra arguments go to the service, e.g. --clinicwave.auth.keys.access-token-algorithm=RS256.
# JVM flags: AUTH_JAVA_OPTS (default: bin/platform's JAVA_OPTS_AUTH); AUTH_PROFILE_OPTS adds e.g. async-profiler.
# Ports (when another process holds one): BENCH_PORT (9100), BENCH_POSTGRES_PORT (25432), BENCH_REDIS_PORT (26379),
# BENCH_KAFKA_PORT (29092).
# Stop with: kill $(cat /tmp/authbench/auth.pid) $(cat /tmp/authbench/infra.pid)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
D=/tmp/authbench
mkdir -p "$D/tmp"
rm -rf "$D/data" "$D/infra.ready"
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25*/bin/java /usr/lib/jvm/*-25*/bin/java /usr/lib/jvm/*-21*/bin/java 2>/dev/null | head -1 || true)}
eval "$(grep '^JAVA_OPTS_AUTH=' bin/platform)"
# As bin/platform: compact object headers where the JDK has them (24+).
"$JAVA" -XX:+UseCompactObjectHeaders -version >/dev/null 2>&1 && JAVA_OPTS_AUTH="$JAVA_OPTS_AUTH -XX:+UseCompactObjectHeaders"
AUTH_JAVA_OPTS=${AUTH_JAVA_OPTS:-$JAVA_OPTS_AUTH}
PORT=${BENCH_PORT:-9100}
PG_PORT=${BENCH_POSTGRES_PORT:-25432}
REDIS=${BENCH_REDIS_PORT:-26379}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29092}

CLINICWAVE_DATA_DIR=$D/data CLINICWAVE_INFRA_READY_FILE=$D/infra.ready POSTGRES_PORT=$PG_PORT REDIS_PORT=$REDIS \
  KAFKA_PORT=$KAFKA_PORT "$JAVA" -Xmx512m -Djava.io.tmpdir="$D/tmp" -jar platform/dev-infra/target/dev-infra.jar \
  >"$D/infra.log" 2>&1 &
echo $! >"$D/infra.pid"
for _ in $(seq 1 120); do [ -f "$D/infra.ready" ] && break; sleep 1; done
[ -f "$D/infra.ready" ] || { tail -20 "$D/infra.log"; exit 1; }
KAFKA=$(sed -n 's/^kafka=//p' "$D/infra.ready")

# shellcheck disable=SC2086
MALLOC_ARENA_MAX=2 POSTGRES_PORT=$PG_PORT REDIS_PORT=$REDIS KAFKA_BOOTSTRAP_SERVERS=$KAFKA SPRING_PROFILES_ACTIVE=local \
  "$JAVA" ${AUTH_PROFILE_OPTS:-} $AUTH_JAVA_OPTS -Djava.io.tmpdir="$D/tmp" -jar auth-service/target/auth-service.jar \
  --spring.application.name=auth-service --spring.cloud.config.enabled=false \
  --spring.config.name=application,auth-service --spring.config.location="file:$ROOT/deploy/config-repo/" \
  --eureka.client.enabled=false --server.port=$PORT \
  --clinicwave.auth.rate-limit.per-ip=100000000 --clinicwave.auth.rate-limit.per-username=100000000 \
  --clinicwave.access-log.enabled=false --logging.level.root=WARN --management.tracing.sampling.probability=0 \
  "$@" >"$D/auth.log" 2>&1 &
echo $! >"$D/auth.pid"
for i in $(seq 1 120); do
  if curl -sf -u demo-service:demo-service-secret -d grant_type=client_credentials \
      http://localhost:$PORT/oauth2/token >/dev/null; then
    echo "auth-service up on :$PORT after ${i} s (pid $(cat "$D/auth.pid"))"; exit 0
  fi
  sleep 1
done
tail -50 "$D/auth.log"; exit 1
