#!/usr/bin/env bash
# Stored messages per second with receipts: builds Parley, starts it on the chosen database, runs the load tool
# against it on loopback, and stops it.
#
#   scripts/bench-storage.sh h2          # the embedded default (a fresh H2 file under target/bench)
#   scripts/bench-storage.sh postgres    # the local PostgreSQL, database "test" (127.0.0.1:5432)
#   scripts/bench-storage.sh h2 --clients 100 --messages 200 --window 8     # load tool options follow
#
# The load tool's storage scenario (loadtest/, java -jar loadtest/target/parley-loadtest.jar --help).
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-h2}; shift || true
./mvnw -B -q package -DskipTests
./mvnw -B -q -f loadtest/pom.xml package
rm -rf target/bench && mkdir -p target/bench
export PARLEY_SECURITY_JWT_SECRET=$(openssl rand -base64 32)
server_args=(--server.port=18080 --parley.limits.send-rate=100000 --parley.limits.send-burst=100000
  --parley.limits.frame-rate=100000 --parley.limits.frame-burst=100000
  --parley.limits.max-sessions-per-user=1000 --logging.level.root=WARN)
case "$db" in
  h2) server_args+=(--spring.datasource.url=jdbc:h2:file:./target/bench/parley) ;;
  postgres) server_args+=(--spring.profiles.active=postgres
    --spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=true --spring.datasource.username=postgres) ;;
  *) echo "usage: $0 h2|postgres [load tool options]" >&2; exit 2 ;;
esac
java -jar target/parley-*.jar "${server_args[@]}" > target/bench/server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:18080/actuator/health/readiness >/dev/null && break; sleep 1; done
java -jar loadtest/target/parley-loadtest.jar storage --url ws://127.0.0.1:18080/ws --pid "$server" \
  --secret "$PARLEY_SECURITY_JWT_SECRET" "$@"
