#!/usr/bin/env bash
# Creates the secrets the manifests read, at install, so that no secret is ever written in a file of this repository:
#   kestrel-alert-api  KESTREL_JWT_SECRET (48 random bytes, drawn here), KESTREL_DB_PASSWORD (kestrel_api's, given),
#                      first-admin.yml (the first administrator, with a password hash, given),
#                      KESTREL_SIGNING_PRIVATE_KEY (an Ed25519 key that signs approved rules and scorecards, drawn here),
#                      KESTREL_SMTP_PASSWORD, KESTREL_WEBHOOK_SECRET (the notifications', given if used, else empty)
#   and the ConfigMap kestrel-approval-keys: its public half, as the engine's rules.signing-keys (not secret)
#   kestrel-db-owner   KESTREL_DB_OWNER_PASSWORD (kestrel_owner's, given: the role that owns the tables and migrates
#                      them; only the API's init container reads it)
#   kestrel-flink-s3   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (the checkpoint bucket's keys, given)
#   kestrel-kafka-user-engine, kestrel-kafka-user-alert-api  sasl.jaas.config (copied from the Secrets Strimzi's User
#                      Operator made for the KafkaUsers of kafka-users.yaml, in namespace kafka: apply those first)
#   kestrel-kafka-ca   ca.p12, ca.password (the cluster CA's truststore, copied from kestrel-cluster-ca-cert)
# A secret that exists is left as it is: running this again does not end every desk session. Rotate as
# docs/operations.md ("Secrets") says.
#   read -rs KESTREL_DB_PASSWORD; read -rs KESTREL_DB_OWNER_PASSWORD; read -rs AWS_ACCESS_KEY_ID; read -rs AWS_SECRET_ACCESS_KEY
#   export KESTREL_DB_PASSWORD KESTREL_DB_OWNER_PASSWORD AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
#   export KESTREL_FIRST_ADMIN_HASH="$(./kestrel hash-password)"; deploy/kubernetes/create-secrets.sh
# and, for notifications by e-mail with a sign-in or by webhook, first: read -rs KESTREL_SMTP_PASSWORD;
# read -rs KESTREL_WEBHOOK_SECRET; export KESTREL_SMTP_PASSWORD KESTREL_WEBHOOK_SECRET
# (read, so that no secret lands in the shell's history or on a command line).
set -euo pipefail
umask 077
namespace=kestrel
# Every folder a secret passes through is removed on exit, however the script ends.
scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT

exists() {
  kubectl -n "$namespace" get secret "$1" >/dev/null 2>&1
}

if exists kestrel-alert-api; then
  echo "secret kestrel-alert-api exists: left as it is"
else
  : "${KESTREL_DB_PASSWORD:?the alert API's database password (ALTER ROLE kestrel_api PASSWORD ...)}"
  : "${KESTREL_FIRST_ADMIN_HASH:?the first administrator's password hash: ./kestrel hash-password}"
  # The notifications' secrets are optional, as the channels are: unset, their keys are empty (docs/operations.md,
  # "Notifications"). A short webhook secret is refused here rather than by the API once a URL is set.
  if [ -n "${KESTREL_WEBHOOK_SECRET:-}" ] && [ "${#KESTREL_WEBHOOK_SECRET}" -lt 32 ]; then
    echo "create-secrets.sh: KESTREL_WEBHOOK_SECRET must hold 32 characters or more (openssl rand -base64 48)" >&2
    exit 1
  fi
  # Values go through files readable by this user alone, not on kubectl's command line, where ps would show them.
  dir=$(mktemp -d)
  scratch+=("$dir")
  openssl rand -base64 48 | tr -d '\n' > "$dir/jwt"
  [ "$(wc -c < "$dir/jwt")" -ge 64 ] || { echo "create-secrets.sh: openssl drew no JWT secret" >&2; exit 1; }
  openssl genpkey -algorithm ed25519 -out "$dir/approval.pem"
  printf 'rules.signing-keys=kestrel-approval=%s\n' "$(openssl pkey -in "$dir/approval.pem" -pubout -outform DER | base64 -w0)" \
    > "$dir/approval-keys.properties"
  printf '%s' "$KESTREL_DB_PASSWORD" > "$dir/db"
  printf '%s' "${KESTREL_SMTP_PASSWORD:-}" > "$dir/smtp"
  printf '%s' "${KESTREL_WEBHOOK_SECRET:-}" > "$dir/webhook"
  printf 'kestrel:\n  users:\n    admin:\n      display-name: "First administrator"\n      password-hash: "%s"\n      roles: [admin]\n' \
    "$KESTREL_FIRST_ADMIN_HASH" > "$dir/admin"
  kubectl -n "$namespace" create secret generic kestrel-alert-api \
    --from-file=KESTREL_JWT_SECRET="$dir/jwt" \
    --from-file=KESTREL_DB_PASSWORD="$dir/db" \
    --from-file=first-admin.yml="$dir/admin" \
    --from-file=KESTREL_SIGNING_PRIVATE_KEY="$dir/approval.pem" \
    --from-file=KESTREL_SMTP_PASSWORD="$dir/smtp" \
    --from-file=KESTREL_WEBHOOK_SECRET="$dir/webhook"
  kubectl -n "$namespace" create configmap kestrel-approval-keys \
    --from-file=approval-keys.properties="$dir/approval-keys.properties" --dry-run=client -o yaml | kubectl apply -f -
fi

if exists kestrel-db-owner; then
  echo "secret kestrel-db-owner exists: left as it is"
else
  : "${KESTREL_DB_OWNER_PASSWORD:?the password of kestrel_owner, the role that owns the tables (docs/operations.md, \"Database roles\")}"
  dir=$(mktemp -d)
  scratch+=("$dir")
  printf '%s' "$KESTREL_DB_OWNER_PASSWORD" > "$dir/owner"
  kubectl -n "$namespace" create secret generic kestrel-db-owner \
    --from-file=KESTREL_DB_OWNER_PASSWORD="$dir/owner"
fi

if exists kestrel-flink-s3; then
  echo "secret kestrel-flink-s3 exists: left as it is"
else
  : "${AWS_ACCESS_KEY_ID:?the checkpoint bucket's access key}"
  : "${AWS_SECRET_ACCESS_KEY:?the checkpoint bucket's secret key}"
  dir=$(mktemp -d)
  scratch+=("$dir")
  printf '%s' "$AWS_ACCESS_KEY_ID" > "$dir/id"
  printf '%s' "$AWS_SECRET_ACCESS_KEY" > "$dir/key"
  kubectl -n "$namespace" create secret generic kestrel-flink-s3 \
    --from-file=AWS_ACCESS_KEY_ID="$dir/id" \
    --from-file=AWS_SECRET_ACCESS_KEY="$dir/key"
fi

# Kafka credentials: pods read Secrets of their own namespace only, so the ones Strimzi keeps in namespace kafka are
# copied here, key by key through files, as above.
copy_from_kafka() {
  local from=$1 to=$2 key
  shift 2
  if exists "$to"; then
    echo "secret $to exists: left as it is"
    return
  fi
  dir=$(mktemp -d)
  scratch+=("$dir")
  local files=()
  for key in "$@"; do
    kubectl -n kafka get secret "$from" -o "jsonpath={.data.${key//./\\.}}" | base64 -d > "$dir/$key"
    [ -s "$dir/$key" ] || { echo "create-secrets.sh: secret $from in namespace kafka has no $key (is kafka-users.yaml applied?)" >&2; exit 1; }
    files+=("--from-file=$key=$dir/$key")
  done
  kubectl -n "$namespace" create secret generic "$to" "${files[@]}"
}
copy_from_kafka kestrel-engine kestrel-kafka-user-engine sasl.jaas.config
copy_from_kafka kestrel-alert-api kestrel-kafka-user-alert-api sasl.jaas.config
copy_from_kafka kestrel-cluster-ca-cert kestrel-kafka-ca ca.p12 ca.password
