#!/bin/sh
# Renders the security headers (the CSP names the API origin) before nginx starts; fails closed without API_ORIGIN.
set -eu
case "${API_ORIGIN:-}" in
  http://*|https://*) ;;
  *) echo "companion-web: API_ORIGIN must be the API's origin (https://api.example.com)" >&2; exit 1 ;;
esac
case "$API_ORIGIN" in *[\ \;\'\"]*) echo "companion-web: API_ORIGIN has forbidden characters" >&2; exit 1 ;; esac
mkdir -p /tmp/nginx-snippets
envsubst '${API_ORIGIN}' </etc/nginx/snippets/security-headers.conf.template >/tmp/nginx-snippets/security-headers.conf
