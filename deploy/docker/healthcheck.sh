#!/usr/bin/env bash
# Container health probe without curl or wget in the image: one HTTP/1.0 GET over bash's /dev/tcp.
# Healthy when the actuator's readiness group answers 200 with status UP.
set -euo pipefail
port="${HEALTH_PORT:-${MANAGEMENT_PORT:-${PORT:-8080}}}"
path="${HEALTH_PATH:-/actuator/health/readiness}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "${path}" >&3
response="$(timeout 3 cat <&3)"
exec 3>&-
head="${response%%$'\r'*}"
[[ "${head}" == *" 200"* && "${response}" == *'"status":"UP"'* ]]
