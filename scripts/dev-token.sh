#!/usr/bin/env bash
# Mints a development access token (HS256 JWT) for trying Parley out.
#
#   scripts/dev-token.sh USERNAME [MINUTES] [ROLES]     e.g. scripts/dev-token.sh alice 60 USER,ADMIN
#
# It signs with PARLEY_SECURITY_JWT_SECRET when set, else with the secret the server generated on first start in
# ./data/jwt-secret. Anyone holding that secret can mint tokens: keep it private, and in production mint tokens
# from your own identity provider or from POST /api/auth/login instead.
set -euo pipefail
user=${1:?usage: scripts/dev-token.sh USERNAME [MINUTES] [ROLES]}
minutes=${2:-60}
roles=${3:-USER}
secret=${PARLEY_SECURITY_JWT_SECRET:-}
if [ -z "$secret" ]; then
  file=${PARLEY_SECURITY_JWT_SECRET_FILE:-./data/jwt-secret}
  [ -r "$file" ] || { echo "No $file yet: start the server once (./mvnw spring-boot:run), or set PARLEY_SECURITY_JWT_SECRET" >&2; exit 1; }
  secret=$(tr -d '\n' < "$file")
fi
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
roles_json=$(printf '"%s"' "${roles//,/\",\"}")
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"sub":"%s","iat":%d,"exp":%d,"roles":[%s]}' "$user" "$now" $((now + minutes * 60)) "$roles_json" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
