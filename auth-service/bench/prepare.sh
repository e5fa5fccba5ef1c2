#!/bin/bash
# Prepares the benchmark inputs against the auth-service started by run.sh (port 9100).
set -e
mkdir -p /tmp/authbench
TOKEN=$(curl -s -u demo-service:demo-service-secret -d grant_type=client_credentials http://localhost:9100/oauth2/token \
  | python3 -c "import sys,json;print(json.load(sys.stdin)['access_token'])")
B64=$(printf 'demo-service:demo-service-secret' | base64 -w0)
cat > /tmp/authbench/introspect.lua <<LUA
wrk.method = "POST"
wrk.body = "token=$TOKEN"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $B64"
LUA
for i in $(seq 1 48); do
  curl -s -H 'Content-Type: application/json' -d '{"username":"demo","password":"demo-password-1"}' \
    http://localhost:9100/api/v1/auth/login | python3 -c "import sys,json;print(json.load(sys.stdin)['refresh_token'])"
done > /tmp/authbench/tokens.txt
