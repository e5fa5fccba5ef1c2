#!/bin/bash
# Benchmark only (not a test). Starts auth-service from the test classpath (test-support gives it embedded PostgreSQL, Redis, Kafka).
mkdir -p /tmp/authbench && cd "$(dirname "$0")/.."
exec /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xms256m -Xmx512m -Djava.io.tmpdir=/tmp/authbench \
  -cp target/test-classes:target/classes:$(cat /tmp/auth_cp.txt) com.clinicwave.auth.AuthServiceApplication \
  --server.port=9100 --clinicwave.auth.keys.encryption-key=3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs= \
  --clinicwave.auth.seed.enabled=true --clinicwave.auth.seed.demo-service-secret=demo-service-secret \
  --GATEWAY_CLIENT_SECRET=g --ATHENA_SERVICE_CLIENT_SECRET=a --CLAIMS_SERVICE_CLIENT_SECRET=c \
  --clinicwave.auth.rate-limit.per-ip=100000000 --clinicwave.auth.rate-limit.per-username=100000000 \
  --clinicwave.access-log.enabled=false --logging.level.root=WARN --management.tracing.sampling.probability=0
