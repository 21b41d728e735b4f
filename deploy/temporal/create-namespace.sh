#!/bin/sh
# One-shot job (temporalio/admin-tools): waits for the Temporal frontend, then creates the
# engine's namespace if it does not exist. Idempotent. Run by the temporal-setup service.
#
# Environment: TEMPORAL_ADDRESS (host:port), TEMPORAL_NAMESPACE, TEMPORAL_NAMESPACE_RETENTION
# (e.g. 90d: how long a closed entry's history is kept).
set -eu

: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}"
RETENTION=${TEMPORAL_NAMESPACE_RETENTION:-90d}

echo "Waiting for the Temporal frontend at $TEMPORAL_ADDRESS ..."
tries=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "Temporal did not become healthy at $TEMPORAL_ADDRESS" >&2
    temporal operator cluster health --address "$TEMPORAL_ADDRESS" >&2 || true
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  echo "namespace $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
  echo "namespace $TEMPORAL_NAMESPACE created (retention $RETENTION)"
fi
