#!/usr/bin/env bash
# Builds clinicwave/<service>:<tag> for every service from the jars `./mvnw -DskipTests package` made.
#   deploy/docker/build-images.sh [tag]          (tag defaults to dev; IMAGE_PREFIX defaults to clinicwave)
set -euo pipefail
cd "$(dirname "$0")/../.."
tag="${1:-dev}"
prefix="${IMAGE_PREFIX:-clinicwave}"
services=(registry config-server gateway auth-service provider-connection-service athena-service claims-service
  provider-sandbox)
for service in "${services[@]}"; do
  jar="${service}/target/${service}.jar"
  [ -f "${jar}" ] || { echo "missing ${jar}: run ./mvnw -B -DskipTests package first" >&2; exit 1; }
  docker build -f deploy/docker/Dockerfile --build-arg MODULE="${service}" -t "${prefix}/${service}:${tag}" .
done
# The patient web app: nginx + companion-web/dist (built by the package above; VITE_API_BASE_URL sets its API URL).
[ -f companion-web/dist/index.html ] || { echo "missing companion-web/dist: run ./mvnw -B -DskipTests package first" >&2; exit 1; }
docker build -f deploy/docker/companion-web/Dockerfile -t "${prefix}/companion-web:${tag}" .
