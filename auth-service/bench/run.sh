#!/bin/bash
# Benchmark only (not a test). Starts auth-service from the test classpath (test-support gives it embedded PostgreSQL,
# Redis, Kafka — the broker runs inside this JVM and counts in its RSS). Extra arguments are passed to the service,
# e.g. --clinicwave.auth.keys.access-token-algorithm=ES256. JVM flags: AUTH_JAVA_OPTS (default: bin/platform's
# auth-service flags — full JIT, serial GC, bounded heap, young generation, metaspace and code cache).
mkdir -p /tmp/authbench && cd "$(dirname "$0")/.."
AUTH_JAVA_OPTS=${AUTH_JAVA_OPTS:-"-XX:+UseSerialGC -Xms96m -Xmx208m -Xmn96m -XX:SurvivorRatio=4 -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=192m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError"}
# shellcheck disable=SC2086
exec /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ${AUTH_PROFILE_OPTS:-} $AUTH_JAVA_OPTS -Djava.io.tmpdir=/tmp/authbench \
  -cp target/test-classes:target/classes:$(cat /tmp/auth_cp.txt) com.clinicwave.auth.AuthServiceApplication \
  --server.port=9100 --clinicwave.auth.keys.encryption-key=3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs= \
  --clinicwave.auth.seed.enabled=true --clinicwave.auth.seed.demo-service-secret=demo-service-secret \
  --GATEWAY_CLIENT_SECRET=g --ATHENA_SERVICE_CLIENT_SECRET=a --CLAIMS_SERVICE_CLIENT_SECRET=c \
  --clinicwave.auth.rate-limit.per-ip=100000000 --clinicwave.auth.rate-limit.per-username=100000000 \
  --clinicwave.access-log.enabled=false --logging.level.root=WARN --management.tracing.sampling.probability=0 "$@"
