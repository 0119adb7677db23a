#!/usr/bin/env bash
# Start or stop Kavosh's local OpenSearch cluster (see docs/cluster.md).
#   cluster/nodes.sh start [COUNT]   start COUNT nodes (default 3), wait for green
#   cluster/nodes.sh stop            stop every node by the PID in DIR/node-N.pid
# DIR is $KAVOSH_CLUSTER_DIR or var/cluster. Built first by `make cluster` (cluster/pom.xml).
# Node N serves HTTP on $KAVOSH_CLUSTER_HTTP_PORT+N-1 (9200..) and transport on
# $KAVOSH_CLUSTER_TRANSPORT_PORT+N-1 (9300..), in the cluster $KAVOSH_CLUSTER_NAME (kavosh):
# the fault tests start a private cluster beside the shared one that way.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${KAVOSH_CLUSTER_DIR:-var/cluster}"
HTTP="${KAVOSH_CLUSTER_HTTP_PORT:-9200}"
TRANSPORT="${KAVOSH_CLUSTER_TRANSPORT_PORT:-9300}"
NAME="${KAVOSH_CLUSTER_NAME:-kavosh}"
HEAP="${KAVOSH_CLUSTER_HEAP:-512m}"
WAIT="${KAVOSH_CLUSTER_WAIT:-300}"   # seconds for the cluster to turn green
MAIN=org.kavosh.cluster.ClusterNode

alive() {  # alive PID: the process exists and is one of our nodes (a recycled PID is not)
  [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -q "$MAIN"
}

pid_of() { cat "$DIR/node-$1.pid" 2>/dev/null || true; }

# A node just started has ended: no process, or a zombie (no command line). A child not yet turned
# into java by exec still has this script's command line: under load that takes a while, and
# `alive` alone called it dead.
gone() {
  [ -z "$1" ] || [ ! -r "/proc/$1/cmdline" ] || [ -z "$(tr -d '\0' < "/proc/$1/cmdline")" ]
}

start() {
  local count="${1:-3}"
  command -v java >/dev/null || { echo "make cluster: no 'java' on PATH (OpenSearch 2.19 needs Java 17)"; exit 1; }
  [ -f cluster/target/classpath.txt ] || { echo "make cluster: cluster/ is not built; run 'make cluster'"; exit 1; }
  mkdir -p "$DIR"
  local cp; cp="cluster/target/classes:$(cat cluster/target/classpath.txt)"
  for n in $(seq 1 "$count"); do
    if alive "$(pid_of "$n")"; then echo "node-$n already running (pid $(pid_of "$n"))"; continue; fi
    rm -f "$DIR/node-$n.pid" "$DIR/node-$n.port"
    local port=$((HTTP + n - 1))
    for p in "$port" $((TRANSPORT + n - 1)); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        echo "make cluster: port $p is taken by another program (another worktree's cluster?); stop it first"
        exit 1
      fi
    done
    mkdir -p "$DIR/node-$n/logs"
    # -Xms = -Xmx as the distribution's jvm.options; the io.netty flags are its defaults too
    nohup java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -Xss1m -Djava.awt.headless=true \
      -Dfile.encoding=UTF-8 -Dlog4j2.disable.jmx=true -Dio.netty.noUnsafe=true \
      -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \
      -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath="$DIR/node-$n/logs" \
      -cp "$cp" "$MAIN" "$n" "$count" "$DIR" "$HTTP" "$TRANSPORT" "$NAME" > "$DIR/node-$n/logs/node.log" 2>&1 < /dev/null &
    echo $! > "$DIR/node-$n.pid"   # the node rewrites it (same PID) once it serves
    echo "node-$n starting: pid $!, http 127.0.0.1:$port, log $DIR/node-$n/logs/node.log"
  done
  local url="http://127.0.0.1:$HTTP/_cluster/health?wait_for_status=green&wait_for_nodes=$count&timeout=5s"
  local deadline=$((SECONDS + WAIT))
  while [ $SECONDS -lt $deadline ]; do
    for n in $(seq 1 "$count"); do
      if gone "$(pid_of "$n")"; then
        echo "make cluster: node-$n exited; the end of its log:"; tail -n 30 "$DIR/node-$n/logs/node.log"; exit 1
      fi
    done
    if curl -fsS "$url" 2>/dev/null | grep -q '"status":"green"'; then
      echo "cluster green: $count nodes, http://127.0.0.1:$HTTP .. $((HTTP + count - 1))"
      return 0
    fi
    sleep 2
  done
  echo "make cluster: not green after $WAIT s; see $DIR/node-*/logs/node.log"; exit 1
}

stop() {  # SIGTERM to every node at once (each closes cleanly), SIGKILL after 30 s
  local pids=() f pid
  for f in "$DIR"/node-*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f")"
    if alive "$pid"; then kill -TERM "$pid"; pids+=("$pid"); fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do alive "$pid" || break; sleep 0.5; done
    if alive "$pid"; then echo "pid $pid did not stop in 30 s: SIGKILL"; kill -KILL "$pid"; fi
  done
  rm -f "$DIR"/node-*.pid "$DIR"/node-*.port
  echo "cluster stopped (${#pids[@]} nodes)"
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  *) echo "usage: $0 start [COUNT] | stop"; exit 2 ;;
esac
