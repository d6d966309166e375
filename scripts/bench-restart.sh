#!/usr/bin/env bash
# A reconnect storm, before and after a restart: builds Parley, starts it on a fresh embedded H2 file, connects
# N clients at once (each subscribes to its room with since-seq and joins it), stops the server the way a drain does
# and starts it again, then connects the same N users again at once. Reports both times.
#
#   scripts/bench-restart.sh                      # 1000 clients in 10 rooms
#   scripts/bench-restart.sh --clients 2000 --rooms 20
#   JAR=/path/to/other/parley.jar scripts/bench-restart.sh    # the same storm against another build
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || true
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
rm -rf target/bench && mkdir -p target/bench
export PARLEY_SECURITY_JWT_SECRET=$(openssl rand -base64 32)
args=(--clients 1000 --rooms 10 "$@")
start() {
  java -jar "${JAR:-$(ls target/parley-*.jar | grep -v plain | head -n 1)}" --server.port=18080 --logging.level.root=WARN --parley.drain.window=2s \
    --spring.datasource.url=jdbc:h2:file:./target/bench/parley >> target/bench/server.log 2>&1 &
  server=$!
  for _ in $(seq 1 60); do curl -sf http://127.0.0.1:18080/actuator/health/readiness >/dev/null && break; sleep 1; done
}
storm() {
  java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" dev.parley.load.LoadTool \
    --url ws://127.0.0.1:18080/ws --scenario resubscribe "${args[@]}"
}
start
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
echo "== first connection (every user joins its room: a JOIN each)"
storm
kill "$server"; wait "$server" 2>/dev/null || true
start
echo "== after a restart (the same users, within parley.rooms.restart-grace)"
storm
