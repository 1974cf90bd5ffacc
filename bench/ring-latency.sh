#!/usr/bin/env bash
# Ring-to-screen latency (docs/performance.md): the gateway (Release, its own process) on a
# throwaway MariaDB with the demo data, the test ARI server and N bare SignalR WebSocket clients in the runner.
# Prints each round (the first is the first burst after start), the CPU of gateway and runner, lost calls.
#
#   ROUNDS=20 WARMUP_ROUNDS=10 bench/ring-latency.sh        # 500 clients, 50 calls ringing within 1 s; summary of rounds 11-20,
#                                                           # once the runtime has finished compiling the hot code (about 20 s)
#   CLIENTS=1 CALLS=200 WINDOW_MS=1000 bench/ring-latency.sh   # a call storm: ring-to-resolved with one client
#   GATEWAY_DOTNET_TieredPGO=0 bench/ring-latency.sh        # GATEWAY_DOTNET_X=v sets DOTNET_X=v for the gateway process only
#   INSTANCES=2 CLIENTS=2000 bench/ring-latency.sh          # two gateways on one Redis (docs/scaling.md), each with its own ARI
#                                                           # application name, clients half/half; latency and CPU per instance
#
# Needs: dotnet (SDK 10), Debian mariadb-server binaries (and redis-server for INSTANCES > 1). Only 127.0.0.1 is used.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLIENTS=${CLIENTS:-500}
CALLS=${CALLS:-50}
WINDOW_MS=${WINDOW_MS:-1000}
ROUNDS=${ROUNDS:-3}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-0}   # rounds printed but left out of the summary line
INSTANCES=${INSTANCES:-1}
WORK=$(mktemp -d /tmp/callerid-ring-latency.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
cleanup() {
  # The runner kills its gateways itself; their pid files are for when it died first.
  for pidfile in "$WORK"/gateway-*.pid "$WORK/redis.pid" "$WORK/mariadb.pid"; do
    [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building (Release)" >&2
dotnet build -c Release "$ROOT/tests/CallerIdGateway.Benchmarks" -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

echo "starting MariaDB on 127.0.0.1:$PORT" >&2
AS_ROOT=$([[ $(id -u) == 0 ]] && echo --user=root || true)
mariadb-install-db --no-defaults --datadir="$WORK/data" --auth-root-authentication-method=normal --skip-test-db $AS_ROOT >"$WORK/install.log" 2>&1
mariadbd --no-defaults --datadir="$WORK/data" --socket="$WORK/mariadb.sock" --pid-file="$WORK/mariadb.pid" --port="$PORT" \
  --bind-address=127.0.0.1 $AS_ROOT --skip-log-bin --innodb-flush-log-at-trx-commit=2 --max-connections=500 >"$WORK/mariadb.log" 2>&1 &
for _ in $(seq 100); do mariadb -h127.0.0.1 -P"$PORT" -uroot -e 'CREATE DATABASE IF NOT EXISTS gateway' 2>/dev/null && break; sleep 0.2; done

REDIS=()
if (( INSTANCES > 1 )); then
  REDIS_PORT=$(free_port)
  echo "starting redis-server on 127.0.0.1:$REDIS_PORT" >&2
  mkdir "$WORK/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK/redis" >"$WORK/redis.log" 2>&1 &
  echo $! >"$WORK/redis.pid"
  for _ in $(seq 100); do [[ $(redis-cli -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]] && break; sleep 0.1; done
  REDIS=(--redis "127.0.0.1:$REDIS_PORT")
fi

dotnet "$ROOT/tests/CallerIdGateway.Benchmarks/bin/Release/net10.0/CallerIdGateway.Benchmarks.dll" ring-latency \
  --gateway-dll "$ROOT/src/CallerIdGateway/bin/Release/net10.0/CallerIdGateway.dll" \
  --connection-string "Server=127.0.0.1;Port=$PORT;Database=gateway;User=root;Password=" \
  --clients "$CLIENTS" --calls "$CALLS" --window-ms "$WINDOW_MS" --rounds "$ROUNDS" --warmup-rounds "$WARMUP_ROUNDS" \
  --instances "$INSTANCES" "${REDIS[@]}" --work-dir "$WORK" | grep -v '^gateway[ a-z]*: '
if (( INSTANCES > 1 )); then
  echo "redis-server CPU over the whole run: $(sed 's/.*) //' "/proc/$(cat "$WORK/redis.pid")/stat" | awk '{printf "%.2f s", ($12+$13)/100}')"
fi
