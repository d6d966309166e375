#!/usr/bin/env bash
# Runs one load scenario against Parley and the plain Spring STOMP application (loadtest/baseline), side by side on
# this machine, and prints both with their ratios (Parley / baseline). The machine is shared and noisy: only the
# ratios of one run mean much.
#
#   loadtest/compare.sh fanout --subscribers 1000 --rate 10
#   loadtest/compare.sh idle --connections 20000
#   JAVA_OPTS="-Xmx8g" MAX_CONNECTIONS=120000 loadtest/compare.sh idle --connections 100000
#   PARLEY_JAR=/tmp/parley-other.jar loadtest/compare.sh fanout    # another build of Parley against the baseline
#
# Parley runs on its embedded defaults (H2 in a temporary directory) with the per-session rate limits lifted (a load
# test sends faster than a person); both servers get the same JVM options and the same connection limit. Everything
# after the scenario goes to the load tool (java -jar loadtest/target/parley-loadtest.jar --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: loadtest/compare.sh <fanout|rooms|idle|storm> [load tool options]}
shift
max_connections=${MAX_CONNECTIONS:-20000}
java_opts=${JAVA_OPTS:-"-Xmx2g"}
parley_port=${PARLEY_PORT:-18090}
baseline_port=${BASELINE_PORT:-18091}

# Many connections need many file descriptors, in the tool and in both servers (children inherit the limit).
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

parley_jar=${PARLEY_JAR:-target/parley-0.1.0-SNAPSHOT.jar}
[ -f "$parley_jar" ] || ./mvnw -B -q -DskipTests package
[ -f loadtest/target/parley-loadtest.jar ] || ./mvnw -B -q -f loadtest/pom.xml package
[ -f loadtest/baseline/target/parley-baseline.jar ] || ./mvnw -B -q -f loadtest/baseline/pom.xml package

work=$(mktemp -d)
secret=$(openssl rand -base64 32)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2086
java $java_opts -jar loadtest/baseline/target/parley-baseline.jar --server.port="$baseline_port" \
  --server.tomcat.max-connections="$max_connections" > "$work/baseline.log" 2>&1 &
baseline=$!
pids+=("$baseline")
# shellcheck disable=SC2086
PARLEY_SECURITY_JWT_SECRET="$secret" java $java_opts -jar "$parley_jar" \
  --server.port="$parley_port" --server.jetty.max-connections="$max_connections" \
  --spring.datasource.url="jdbc:h2:file:$work/parley;WRITE_DELAY=0" \
  --parley.limits.send-rate=1000000 --parley.limits.send-burst=1000000 \
  --parley.limits.frame-rate=1000000 --parley.limits.frame-burst=1000000 > "$work/parley.log" 2>&1 &
parley=$!
pids+=("$parley")

for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$parley_port/actuator/health/readiness" >/dev/null \
      && curl -s -o /dev/null "http://127.0.0.1:$baseline_port/"; then
    break
  fi
  sleep 1
done

java -jar loadtest/target/parley-loadtest.jar "$scenario" \
  --url "ws://127.0.0.1:$parley_port/ws" --pid "$parley" --secret "$secret" \
  --baseline-url "ws://127.0.0.1:$baseline_port/ws" --baseline-pid "$baseline" "$@"
