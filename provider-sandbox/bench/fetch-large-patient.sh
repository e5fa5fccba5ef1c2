#!/usr/bin/env bash
# Fetches every ExplanationOfBenefit of patient-large (100,000 claims) by following next links.
set -euo pipefail
BASE=${BASE:-http://localhost:9400}
COUNT=${COUNT:-1000}
loc=$(curl -s -o /dev/null -w '%{redirect_url}' "$BASE/epic/oauth2/authorize?response_type=code&client_id=clinicwave-epic&redirect_uri=http://localhost:8080/api/oauth/callback&sandbox_patient=patient-large&sandbox_decision=approve")
code=$(sed -E 's/.*[?&]code=([^&]+).*/\1/' <<<"$loc")
token=$(curl -s -u clinicwave-epic:sandbox-secret-epic -d grant_type=authorization_code -d "code=$code" \
  --data-urlencode redirect_uri=http://localhost:8080/api/oauth/callback "$BASE/epic/oauth2/token" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
url="$BASE/epic/fhir/ExplanationOfBenefit?patient=patient-large&_count=$COUNT"
pages=0; entries=0; start=$(date +%s.%N)
while [ -n "$url" ]; do
  body=$(curl -sf -H "Authorization: Bearer $token" "$url")
  read -r n next < <(python3 -c 'import json,sys; b=json.loads(sys.stdin.read()); print(len(b.get("entry",[])), next((l["url"] for l in b["link"] if l["relation"]=="next"), ""))' <<<"$body")
  entries=$((entries+n)); pages=$((pages+1)); url="$next"
done
end=$(date +%s.%N)
echo "pages=$pages entries=$entries seconds=$(python3 -c "print(round($end-$start,1))") count=$COUNT"
