#!/usr/bin/env bash
# A real Zipkin server for the local run (bin/platform up), on http://localhost:9411 — the services already send
# their spans to http://localhost:9411/api/v2/spans (management.zipkin.tracing.endpoint).
#
#   deploy/zipkin/run-local.sh start    # fetch (once) and start in the background; waits until it answers
#   deploy/zipkin/run-local.sh status   # is it running?
#   deploy/zipkin/run-local.sh stop
#   deploy/zipkin/run-local.sh run      # in the foreground
#
# The server is io.zipkin:zipkin-server:<version>:jar:exec from Maven Central, fetched with the project's Maven
# wrapper into .run/zipkin/. Storage is in memory: traces vanish when it stops. Open http://localhost:9411/zipkin/
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION="${ZIPKIN_VERSION:-3.5.1}"
PORT="${ZIPKIN_PORT:-9411}"
DIR="${ROOT}/.run/zipkin"
JAR="${DIR}/zipkin-server-${VERSION}-exec.jar"
PID_FILE="${DIR}/zipkin.pid"
LOG_FILE="${DIR}/zipkin.log"

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "${JAVA_HOME}/bin/java" ]; then echo "${JAVA_HOME}/bin/java"
  elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else echo java; fi
}

fetch() {
  [ -f "${JAR}" ] && return 0
  mkdir -p "${DIR}"
  echo "zipkin: fetching io.zipkin:zipkin-server:${VERSION}:jar:exec"
  (cd "${ROOT}" && ./mvnw -q -B dependency:copy -Dartifact="io.zipkin:zipkin-server:${VERSION}:jar:exec" \
    -DoutputDirectory="${DIR}" -Dmdep.overWriteIfNewer=true)
  [ -f "${JAR}" ] || { echo "zipkin: ${JAR} missing after the download" >&2; exit 1; }
}

running() { [ -f "${PID_FILE}" ] && kill -0 "$(cat "${PID_FILE}")" 2>/dev/null; }

answering() { curl -fsS -m 2 "http://localhost:${PORT}/health" >/dev/null 2>&1; }

args() {
  echo -Xms64m -Xmx256m -XX:+UseSerialGC -jar "${JAR}" --server.port="${PORT}" --logging.level.root=WARN
}

case "${1:-start}" in
  start)
    if running; then echo "zipkin: already running (pid $(cat "${PID_FILE}")) on :${PORT}"; exit 0; fi
    fetch
    # shellcheck disable=SC2046
    STORAGE_TYPE=mem nohup "$(java_bin)" $(args) >"${LOG_FILE}" 2>&1 &
    echo $! >"${PID_FILE}"
    for _ in $(seq 1 60); do
      if answering; then echo "zipkin: up on http://localhost:${PORT}/zipkin/ (pid $(cat "${PID_FILE}"))"; exit 0; fi
      running || { tail -20 "${LOG_FILE}" >&2; echo "zipkin: exited during start; see ${LOG_FILE}" >&2; exit 1; }
      sleep 1
    done
    echo "zipkin: not answering after 60 s; see ${LOG_FILE}" >&2; exit 1 ;;
  run)
    fetch
    # shellcheck disable=SC2046
    STORAGE_TYPE=mem exec "$(java_bin)" $(args) ;;
  status)
    if running && answering; then echo "zipkin: up on http://localhost:${PORT}/zipkin/ (pid $(cat "${PID_FILE}"))"
    else echo "zipkin: not running"; exit 1; fi ;;
  stop)
    if running; then kill "$(cat "${PID_FILE}")"; rm -f "${PID_FILE}"; echo "zipkin: stopped"
    else echo "zipkin: not running"; fi ;;
  *)
    echo "usage: $0 start|run|status|stop" >&2; exit 2 ;;
esac
