#!/bin/bash
# Prepares the benchmark inputs against the auth-service run.sh started (port 9100): the introspection script (a
# fresh client_credentials token), a pool of 48 refresh tokens (48 logins of demo) and, unless the argument is
# "tokens", 200 registered users for the login benchmark (login.lua spreads logins over them).
set -e
mkdir -p /tmp/authbench
for i in $(seq 1 48); do
  curl -s -H 'Content-Type: application/json' -d '{"username":"demo","password":"demo-password-1"}' \
    http://localhost:9100/api/v1/auth/login | python3 -c "import sys,json;print(json.load(sys.stdin)['refresh_token'])"
done > /tmp/authbench/tokens.txt
[ "${1:-}" = tokens ] && exit 0
TOKEN=$(curl -s -u demo-service:demo-service-secret -d grant_type=client_credentials http://localhost:9100/oauth2/token \
  | python3 -c "import sys,json;print(json.load(sys.stdin)['access_token'])")
B64=$(printf 'demo-service:demo-service-secret' | base64 -w0)
cat > /tmp/authbench/introspect.lua <<LUA
wrk.method = "POST"
wrk.body = "token=$TOKEN"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $B64"
LUA
for i in $(seq 1 200); do
  curl -s -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench$i\",\"password\":\"bench-password-$i-x\"}" http://localhost:9100/api/v1/auth/register
done
