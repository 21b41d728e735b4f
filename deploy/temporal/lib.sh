#!/bin/sh
# What the one-shot jobs in this folder share; each sources it: . "$(dirname "$0")/lib.sh"

# create_or_keep WHAT CMD...: runs CMD to create WHAT. "already exists" counts as done (an earlier
# or concurrent run made it); any other failure (auth, network) prints why and stops the job.
create_or_keep() {
  what=$1
  shift
  if out=$("$@" 2>&1); then
    echo "$what created"
  elif printf '%s' "$out" | grep -qi 'already exists'; then
    echo "$what exists"
  else
    printf '%s\n' "$out" >&2
    echo "could not create $what" >&2
    exit 1
  fi
}
