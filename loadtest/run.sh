#!/usr/bin/env bash
# Runs the load tool against a running Parley deployment (one node or several: repeat --url), after raising the
# open-file limit that many connections need. Builds the tool first if needed.
#
#   loadtest/run.sh fanout --url ws://127.0.0.1:8080/ws --secret-file ./data/jwt-secret --pid "$(pgrep -f parley-)"
#   loadtest/run.sh storage --clients 50 --messages 2000
#
# Options: java -jar loadtest/target/parley-loadtest.jar --help
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ -f loadtest/target/parley-loadtest.jar ] || ./mvnw -B -q -f loadtest/pom.xml package
exec java ${LOADTEST_JAVA_OPTS:-} -jar loadtest/target/parley-loadtest.jar "$@"
