#!/usr/bin/env bash
# Readers of a busy topic beside clients that stop reading: builds Parley, starts it with the rate limits lifted,
# and has 50 readers take 200 messages/s of 2 KB on /topic/messages for 20 s, first alone, then beside 1, 4 and 20
# clients that never read. Prints the readers' latency (from each message's scheduled send time) and losses.
#
#   scripts/bench-slow-consumers.sh [--readers 50 --rate 200 --seconds 20 --size 2000]
#   JAR=/path/to/other/parley.jar scripts/bench-slow-consumers.sh    # the same against another build
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
mkdir -p target/bench
export PARLEY_SECURITY_JWT_SECRET=$(openssl rand -base64 32)
java -jar "${JAR:-$(ls target/parley-*.jar | grep -v plain | head -n 1)}" --server.port=18080 --logging.level.root=WARN \
  --spring.datasource.url=jdbc:h2:mem:slow --parley.limits.send-rate=100000 --parley.limits.send-burst=100000 \
  --parley.limits.frame-rate=100000 --parley.limits.frame-burst=100000 > target/bench/slow-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:18080/actuator/health/readiness >/dev/null && break; sleep 1; done
java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" dev.parley.load.LoadTool \
  --url ws://127.0.0.1:18080/ws --scenario slow-consumers "$@"
