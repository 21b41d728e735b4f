#!/bin/sh
# One-shot job (temporalio/admin-tools): registers the engine's custom search attributes on the
# namespace. Idempotent: lists what is registered first and creates only what is missing (and
# tolerates "already exists" from a concurrent run); finally checks that every one is there.
#
#   register-search-attributes.sh [LIST_FILE]   (default: search-attributes.txt beside this script)
#
# LIST_FILE has one "Name Type" pair per line (types as the temporal CLI takes them: Keyword,
# Text, Int, Double, Bool, Datetime, KeywordList); '#' starts a comment. It must equal
# searchAttributeCliPairs() in workflows/search-attributes.ts: test/ops/compose.test.ts checks it.
#
# Environment: TEMPORAL_ADDRESS (host:port), TEMPORAL_NAMESPACE.
set -eu
. "$(dirname "$0")/lib.sh"

: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}"
LIST_FILE=${1:-$(dirname "$0")/search-attributes.txt}
[ -r "$LIST_FILE" ] || { echo "cannot read $LIST_FILE" >&2; exit 1; }

list_registered() {
  temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" --address "$TEMPORAL_ADDRESS"
}

# The listing is a table of names and types: a name is registered when it is one of its words.
is_registered() {
  printf '%s\n' "$registered" | awk -v name="$1" '
    { gsub(/[|]/, " "); for (i = 1; i <= NF; i++) if ($i == name) found = 1 }
    END { exit found ? 0 : 1 }'
}

registered=$(list_registered)
# shellcheck disable=SC2034 # rest takes any trailing words
grep -v '^[[:space:]]*#' "$LIST_FILE" | grep -v '^[[:space:]]*$' | while read -r name type rest; do
  if [ -z "$type" ]; then
    echo "malformed line in $LIST_FILE: $name" >&2
    exit 1
  fi
  if is_registered "$name"; then
    echo "search attribute $name exists"
    continue
  fi
  create_or_keep "search attribute $name ($type)" \
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --address "$TEMPORAL_ADDRESS" --name "$name" --type "$type"
done

# Verify: every listed name is registered now.
registered=$(list_registered)
missing=""
names=$(grep -v '^[[:space:]]*#' "$LIST_FILE" | awk 'NF { print $1 }')
for name in $names; do
  is_registered "$name" || missing="$missing $name"
done
if [ -n "$missing" ]; then
  echo "search attributes still missing on namespace $TEMPORAL_NAMESPACE:$missing" >&2
  exit 1
fi
echo "custom search attributes registered on namespace $TEMPORAL_NAMESPACE"
