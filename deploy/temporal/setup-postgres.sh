#!/bin/sh
# One-shot job (temporalio/admin-tools): creates Temporal's two PostgreSQL databases and brings
# both schemas up to the version this admin-tools image ships; creates the engine's record
# database, uep (its tables come from the record-migrate job: npm run record:migrate). Idempotent: an existing database
# is kept, `setup-schema -v 0.0` skips a database already past 0.0, and `update-schema` applies
# only the versions not yet applied. Run by the temporal-schema service in docker-compose.yml.
#
# Environment: POSTGRES_SEEDS (host), DB_PORT, POSTGRES_USER, SQL_PASSWORD (read by
# temporal-sql-tool itself, so it never appears on a command line), UEP_DEMO.
set -eu
. "$(dirname "$0")/lib.sh"

: "${POSTGRES_SEEDS:?}" "${DB_PORT:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"

# The first job of the stack refuses .env.example's password, so nothing starts on it.
case "$SQL_PASSWORD" in
  *change-me* | *changeme*)
    if [ "${UEP_DEMO:-false}" != true ] && [ "${UEP_DEMO:-false}" != 1 ]; then
      echo "Refusing to start: POSTGRES_PASSWORD is still the example \"change-me\". Set a real one in .env, or UEP_DEMO=true for a demo." >&2
      exit 1
    fi
    ;;
esac
SCHEMA_ROOT=${SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

echo "Waiting for PostgreSQL at $POSTGRES_SEEDS:$DB_PORT ..."
tries=0
until nc -z -w 5 "$POSTGRES_SEEDS" "$DB_PORT"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "PostgreSQL did not open its port" >&2
    exit 1
  fi
  sleep 2
done

setup_db() {
  db=$1
  dir=$2
  create_or_keep "database $db" sql_tool --db "$db" create
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$SCHEMA_ROOT/$dir/versioned"
  echo "database $db: schema up to date"
}

setup_db temporal temporal
setup_db temporal_visibility visibility
create_db uep
echo "PostgreSQL schema set-up complete"
