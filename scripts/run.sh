#!/usr/bin/env bash
# `make run`: the service on the embedded Kafka (librdkafka's mock cluster) with the demo fleet
# workload, mirrored to a local redis-server on a free loopback port unless REDIS_URL is set.
# Ctrl-C stops it cleanly (batch finished, offsets recorded).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATA_DIR="${DATA_DIR:-data}"
mkdir -p "$DATA_DIR"
if [ -z "${REDIS_URL:-}" ] && command -v redis-server >/dev/null; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no > "$DATA_DIR/redis.log" 2>&1 &
    redis_pid=$!
    trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
    export REDIS_URL="redis://127.0.0.1:$port/0"
    echo "local redis-server on 127.0.0.1:$port: redis-cli -p $port LRANGE metrics:recommendation-api:api_latency_ms 0 4"
fi
.build/release/metrics-consumer --demo
