#!/usr/bin/env bash
# Creates the secrets the manifests read, at install, so that no secret is ever written in a file of this repository:
#   kestrel-alert-api  KESTREL_JWT_SECRET (48 random bytes, drawn here), KESTREL_DB_PASSWORD (the database's, given),
#                      first-admin.yml (the first administrator, with a password hash, given)
#   kestrel-flink-s3   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (the checkpoint bucket's keys, given)
# A secret that exists is left as it is: running this again does not end every desk session. Rotate as
# docs/operations.md ("Secrets") says.
#   KESTREL_DB_PASSWORD=... KESTREL_FIRST_ADMIN_HASH="$(./kestrel hash-password)" \
#   AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... deploy/kubernetes/create-secrets.sh
set -euo pipefail
namespace=kestrel

exists() {
  kubectl -n "$namespace" get secret "$1" >/dev/null 2>&1
}

if exists kestrel-alert-api; then
  echo "secret kestrel-alert-api exists: left as it is"
else
  : "${KESTREL_DB_PASSWORD:?the alert API's database password (ALTER ROLE kestrel PASSWORD ...)}"
  : "${KESTREL_FIRST_ADMIN_HASH:?the first administrator's password hash: ./kestrel hash-password}"
  admin=$(mktemp)
  trap 'rm -f "$admin"' EXIT
  printf 'kestrel:\n  users:\n    admin:\n      display-name: "First administrator"\n      password-hash: "%s"\n      roles: [admin]\n' \
    "$KESTREL_FIRST_ADMIN_HASH" > "$admin"
  kubectl -n "$namespace" create secret generic kestrel-alert-api \
    --from-literal=KESTREL_JWT_SECRET="$(openssl rand -base64 48)" \
    --from-literal=KESTREL_DB_PASSWORD="$KESTREL_DB_PASSWORD" \
    --from-file=first-admin.yml="$admin"
fi

if exists kestrel-flink-s3; then
  echo "secret kestrel-flink-s3 exists: left as it is"
else
  : "${AWS_ACCESS_KEY_ID:?the checkpoint bucket's access key}"
  : "${AWS_SECRET_ACCESS_KEY:?the checkpoint bucket's secret key}"
  kubectl -n "$namespace" create secret generic kestrel-flink-s3 \
    --from-literal=AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" \
    --from-literal=AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY"
fi
