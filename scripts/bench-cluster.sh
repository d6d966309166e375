#!/usr/bin/env bash
# Two Parley nodes in redis mode on the local Redis and PostgreSQL (database "test", schema bench_cluster), and the
# load tool's cross-node scenario: one publisher on node A, readers split over A and B; prints the latency of both
# halves side by side (the Redis hop is the difference) and the Redis publishes per broadcast.
#
#   scripts/bench-cluster.sh [--readers 100 --rate 200 --seconds 20]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests -Djacoco.skip=true
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
mkdir -p target/bench
psql -h 127.0.0.1 -U postgres -d test -q -c 'drop schema if exists bench_cluster cascade; create schema bench_cluster;'
export PARLEY_SECURITY_JWT_SECRET=$(openssl rand -base64 32)
jar=$(ls target/parley-*.jar | grep -v plain | head -n 1)
prefix="parley-bench-$$:"
pids=()
for port in 18081 18082; do
  java -jar "$jar" --server.port=$port --logging.level.root=WARN --spring.profiles.active=postgres \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=bench_cluster" \
    --spring.datasource.username=postgres --spring.flyway.schemas=bench_cluster \
    --spring.flyway.default-schema=bench_cluster --parley.broker.mode=redis --parley.cluster.key-prefix="$prefix" \
    --parley.limits.send-rate=100000 --parley.limits.send-burst=100000 --parley.limits.frame-rate=100000 \
    --parley.limits.frame-burst=100000 > target/bench/cluster-$port.log 2>&1 &
  pids+=($!)
done
trap 'kill ${pids[*]} 2>/dev/null; wait ${pids[*]} 2>/dev/null || true' EXIT
for port in 18081 18082; do
  for _ in $(seq 1 90); do curl -sf http://127.0.0.1:$port/actuator/health/readiness >/dev/null && break; sleep 1; done
done
redis-cli -h 127.0.0.1 config resetstat >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" dev.parley.load.LoadTool \
  --url ws://127.0.0.1:18081/ws --url2 ws://127.0.0.1:18082/ws --scenario cross-node "$@"
echo "Redis PUBLISH commands in the run (one per broadcast, plus presence and the users lists):"
redis-cli -h 127.0.0.1 info commandstats | grep -E 'cmdstat_publish:' || true
