#!/usr/bin/env bash
# What senders see while the database is away: starts Parley on the local PostgreSQL (database "test"), sends a
# stored message with a receipt every 100 ms for 30 s, stops PostgreSQL 8 s in and starts it again 10 s later, and
# reports the send-to-error times and when messages were stored again. Needs root (pg_ctlcluster); always starts
# PostgreSQL again on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
mkdir -p target/bench
export PARLEY_SECURITY_JWT_SECRET=$(openssl rand -base64 32)
java -jar "$(ls target/parley-*.jar | grep -v plain | head -n 1)" --server.port=18080 --logging.level.root=WARN \
  --spring.profiles.active=postgres --spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test \
  --spring.datasource.username=postgres > target/bench/outage-server.log 2>&1 &
server=$!
trap 'pg_ctlcluster $cluster start 2>/dev/null || true; kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:18080/actuator/health/readiness >/dev/null && break; sleep 1; done
( sleep 8; pg_ctlcluster $cluster stop -m immediate; echo "PostgreSQL stopped"; sleep 10;
  pg_ctlcluster $cluster start; echo "PostgreSQL started" ) &
outage=$!
java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" dev.parley.load.LoadTool \
  --url ws://127.0.0.1:18080/ws --scenario outage --seconds 30 "$@"
wait "$outage"
