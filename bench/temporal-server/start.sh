#!/usr/bin/env bash
# The production Temporal server (not the CLI's dev server) on this machine's PostgreSQL, for the
# benchmarks and the chaos suite: `bash bench/temporal-server/start.sh` then, in another terminal,
#   npm run bench -- --temporal-address=127.0.0.1:7300 --temporal-label=postgres-4-shards --only=overhead,monthend,monthend10k
#   npm run chaos -- --temporal-address=127.0.0.1:7300
# Builds the server and its schema tool from the Go module proxy into .tools/bin the first time (a few
# minutes), creates its two databases and schema (idempotent), writes its config under
# .tools/temporal-server/ and runs it in the foreground (Ctrl-C stops it).
#
# Settings (environment): TEMPORAL_PG_HOST (127.0.0.1), TEMPORAL_PG_PORT (5432), TEMPORAL_PG_USER
# (postgres), TEMPORAL_PG_PASSWORD (empty: trust), TEMPORAL_SHARDS (4: fixed once the database exists),
# TEMPORAL_PORT (7300: gRPC frontend; the other services take the next ports), TEMPORAL_DB (temporal_bench),
# TEMPORAL_FRESH (1: drop the server's two databases first and start empty; the benchmarks' own
# server does, at its first start in a run only — a restart keeps what the server had).
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=v1.29.1
BIN=$PWD/.tools/bin
HOST=${TEMPORAL_PG_HOST:-127.0.0.1}
PGPORT=${TEMPORAL_PG_PORT:-5432}
PGUSER_=${TEMPORAL_PG_USER:-postgres}
PGPASS=${TEMPORAL_PG_PASSWORD:-}
SHARDS=${TEMPORAL_SHARDS:-4}
PORT=${TEMPORAL_PORT:-7300}
DB=${TEMPORAL_DB:-temporal_bench}

if [ ! -x "$BIN/server" ] || [ ! -x "$BIN/sql" ]; then
  echo "== building the Temporal server $VERSION and its schema tool (first time only)"
  GOBIN=$BIN CGO_ENABLED=0 go install "go.temporal.io/server/cmd/server@$VERSION" "go.temporal.io/server/cmd/tools/sql@$VERSION"
fi

# A server already on the port (one left by an earlier run) would answer in this one's place.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "!! port $PORT is taken: a Temporal server (or something else) already runs there; stop it first (pkill -f .tools/bin/server)" >&2
  exit 1
fi
tool() { "$BIN/sql" --plugin postgres12 --ep "$HOST" -p "$PGPORT" -u "$PGUSER_" --pw "$PGPASS" "$@"; }
for kind in temporal visibility; do
  name=$DB; [ "$kind" = visibility ] && name=${DB}_visibility
  if [ "${TEMPORAL_FRESH:-}" = 1 ]; then
    # An empty server, as the dev server's new SQLite file is: what an earlier run left running
    # (closes blocked for ever on its own task queue) would otherwise hold its ledgers' workflow ids.
    echo "== dropping $name (TEMPORAL_FRESH=1)"
    tool --db "$name" drop-database --force # fails while anything still holds it: stop that first
  fi
  echo "== schema of $name ($kind)"
  tool --db "$name" create-database >/dev/null 2>&1 || true # already there
  # setup-schema -v 0.0 records the versioning tables once; update-schema brings the schema to the module's version.
  tool --db "$name" setup-schema -v 0.0 >/dev/null 2>&1 || true
  tool --db "$name" update-schema --schema-name "postgresql/v12/$kind"
done

ROOT=$PWD/.tools/temporal-server
mkdir -p "$ROOT/config/dynamicconfig"
cat >"$ROOT/config/dynamicconfig/bench.yaml" <<YAML
# A single machine: the defaults throttle persistence well below what its PostgreSQL serves.
history.persistenceMaxQPS:
  - value: 20000
frontend.persistenceMaxQPS:
  - value: 20000
matching.persistenceMaxQPS:
  - value: 20000
frontend.rps:
  - value: 20000
YAML
store() {
  cat <<YAML
      sql:
        pluginName: "postgres12"
        databaseName: "$1"
        connectAddr: "$HOST:$PGPORT"
        connectProtocol: "tcp"
        user: "$PGUSER_"
        password: "$PGPASS"
        maxConns: $2
        maxIdleConns: $2
        maxConnLifetime: "1h"
YAML
}
service() {
  cat <<YAML
  $1:
    rpc:
      grpcPort: $2
      membershipPort: $(($2 + 100))
      bindOnLocalHost: true
YAML
}
{
  cat <<YAML
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: $SHARDS
  datastores:
    default:
YAML
  store "$DB" 40
  echo "    visibility:"
  store "${DB}_visibility" 10
  cat <<YAML
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:
YAML
  service frontend "$PORT"
  service history $((PORT + 1))
  service matching $((PORT + 2))
  service worker $((PORT + 3))
  cat <<YAML
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:$PORT"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "$ROOT/config/dynamicconfig/bench.yaml"
  pollInterval: "10s"
YAML
} >"$ROOT/config/development.yaml"

echo "== Temporal server $VERSION on 127.0.0.1:$PORT, $SHARDS history shards, persistence $HOST:$PGPORT/$DB"
"$BIN/server" --root "$ROOT" --config config --env development --allow-no-auth start &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server' INT TERM
# The production server has no namespace until one is registered (the dev server makes `default` itself).
CLI=$BIN/temporal
for _ in $(seq 1 60); do
  if "$CLI" operator namespace describe --namespace default --address "127.0.0.1:$PORT" >/dev/null 2>&1; then break; fi
  "$CLI" operator namespace create --namespace default --retention 72h --address "127.0.0.1:$PORT" >/dev/null 2>&1 || sleep 1
done
echo "== ready: --temporal-address=127.0.0.1:$PORT (namespace default)"
wait $server
