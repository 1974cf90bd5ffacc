#!/usr/bin/env bash
# Lookup load run (docs/performance.md): 1M customers on a throwaway MariaDB, the gateway's
# GET /api/customers/by-phone/{n} (lookup cache on and off) against two references served over the
# raw driver: the floor (one indexed probe of pre-normalized numbers) and the naive JSON_CONTAINS
# query. Measures correctness over the caller-ID samples, then wrk at 32 and 4 connections.
#
#   bench/lookup-load.sh                      # everything: ~25 min the first time, ~20 min with the caches
#   INDEX_EXPERIMENT=1 bench/lookup-load.sh   # + the index build again, in-process with nothing else running
#   CUSTOMERS=20000 SAMPLES=5000 DURATION=5 WARMUP=2 NAIVE_DURATION=5 bench/lookup-load.sh   # rehearsal, ~3 min
#
# Needs: dotnet (SDK 10), mariadbd + mariadb-install-db + mariadb client (Debian mariadb-server),
# wrk, curl. Only 127.0.0.1 is used. Caches under $CACHE_DIR (default /tmp/callerid-bench): the
# generated data set (TSV) and the loaded MariaDB data directory, keyed by size and seed; delete
# them to start from scratch. Every process the script starts is stopped when it exits.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CUSTOMERS=${CUSTOMERS:-1000000}
SAMPLES=${SAMPLES:-100000}
SEED=${SEED:-42}
DURATION=${DURATION:-30}             # seconds per measured wrk run
WARMUP=${WARMUP:-10}                 # seconds of unmeasured load before each endpoint's runs
NAIVE_DURATION=${NAIVE_DURATION:-60} # the naive query needs longer runs to get a few hundred requests
CHECK_MAX=${CHECK_MAX:-20000}        # caller-ID samples checked for correctness (gateway, floor)
NAIVE_CHECK_MAX=${NAIVE_CHECK_MAX:-150}  # one naive lookup scans 1M rows: seconds each
NAIVE=${NAIVE:-1}                    # 0: skip the naive query (~4 min)
GATEWAY_GC_SERVER=${GATEWAY_GC_SERVER:-}   # 1: run the gateway with server GC (default: its own, workstation)
INDEX_BUILD_TIMEOUT=${INDEX_BUILD_TIMEOUT:-3600}
BUFFER_POOL=${BUFFER_POOL:-4G}
CACHE_DIR=${CACHE_DIR:-/tmp/callerid-bench}
API_KEY=bench-load-key-0123456789

KEY="c${CUSTOMERS}-s${SAMPLES}-seed${SEED}"
DATA_CACHE="$CACHE_DIR/data-$KEY"
DB_CACHE="$CACHE_DIR/mariadb-$KEY"
WORK=$(mktemp -d /tmp/callerid-lookup-load.XXXXXX)
RESULTS="$WORK/results.tsv"
REPORT="$CACHE_DIR/lookup-load-$(date +%Y%m%d-%H%M%S).txt"
mkdir -p "$CACHE_DIR"
: > "$RESULTS"

PIDS=()
cleanup() {
  local pid
  mkdir -p "$CACHE_DIR/last-run" && cp "$WORK"/*.log "$WORK"/*.txt "$WORK"/*.tsv "$CACHE_DIR/last-run/" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" | tee -a "$REPORT" >&2; }
note() { printf '%s\n' "$*" >> "$RESULTS"; }
stop_pid() { # stop one process we started, and forget it
  local pid=$1 p
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local keep=()
  for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
now() { date +%s.%N; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; } # user + system, 1/100 s
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

for tool in dotnet mariadbd mariadb-install-db mariadb mariadb-admin wrk curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (see docs/performance.md)" >&2; exit 1; }
done

# ---------------------------------------------------------------- build
log "building (Release)"
dotnet build -c Release "$ROOT/tests/CallerIdGateway.Benchmarks" -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
BENCH=(dotnet "$ROOT/tests/CallerIdGateway.Benchmarks/bin/Release/net10.0/CallerIdGateway.Benchmarks.dll" lookup)
GATEWAY_DIR="$ROOT/src/CallerIdGateway/bin/Release/net10.0"

# ---------------------------------------------------------------- data set (cached)
if [[ ! -f "$DATA_CACHE/manifest.txt" ]]; then
  log "generating $CUSTOMERS customers into $DATA_CACHE"
  rm -rf "$DATA_CACHE.tmp"
  start=$(now)
  "${BENCH[@]}" generate --out "$DATA_CACHE.tmp" --customers "$CUSTOMERS" --samples "$SAMPLES" --seed "$SEED" >&2
  rm -rf "$DATA_CACHE" && mv "$DATA_CACHE.tmp" "$DATA_CACHE"
  note "generate_seconds	$(since "$start")"
else
  log "data set from cache: $DATA_CACHE"
fi
note "data_set	$(tr '\n' ' ' < "$DATA_CACHE/manifest.txt")"
SAMPLES_TSV="$DATA_CACHE/samples.tsv"

# ---------------------------------------------------------------- MariaDB (loaded data directory cached)
DB_PORT=$("${BENCH[@]}" free-port)
AS_ROOT=(); [[ $(id -u) == 0 ]] && AS_ROOT=(--user=root)
CS="Server=127.0.0.1;Port=$DB_PORT;User ID=root;Password=;Database=callerid"
SQL=(mariadb -h127.0.0.1 -P"$DB_PORT" -uroot --default-character-set=utf8mb4 --batch --skip-column-names callerid)

start_mariadb() {
  mariadbd --no-defaults --datadir="$WORK/db" --socket="$WORK/mariadb.sock" --pid-file="$WORK/mariadb.pid" \
    --port="$DB_PORT" --bind-address=127.0.0.1 "${AS_ROOT[@]}" --skip-log-bin --skip-name-resolve \
    --innodb-buffer-pool-size="$BUFFER_POOL" --innodb-log-file-size=512M \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --max-connections=500 \
    >"$WORK/mariadb.log" 2>&1 &
  DB_PID=$!
  PIDS+=("$DB_PID")
  for _ in $(seq 600); do
    mariadb -h127.0.0.1 -P"$DB_PORT" -uroot -e 'SELECT 1' >/dev/null 2>&1 && return 0
    kill -0 "$DB_PID" 2>/dev/null || { cat "$WORK/mariadb.log"; exit 1; }
    sleep 0.1
  done
  echo "MariaDB did not start" >&2; cat "$WORK/mariadb.log"; exit 1
}
stop_mariadb() {
  mariadb-admin -h127.0.0.1 -P"$DB_PORT" -uroot shutdown >/dev/null 2>&1 || true
  stop_pid "$DB_PID"
}

if [[ ! -f "$DB_CACHE/.complete" ]]; then
  log "loading the data set into a fresh MariaDB"
  mariadb-install-db --no-defaults --datadir="$WORK/db" --auth-root-authentication-method=normal --skip-test-db "${AS_ROOT[@]}" >"$WORK/install.log" 2>&1
  start_mariadb
  start=$(now)
  "${BENCH[@]}" load --connection "$CS" --data "$DATA_CACHE" | tee -a "$REPORT" >&2
  note "load_seconds	$(since "$start")"
  stop_mariadb
  rm -rf "$DB_CACHE" && cp -a "$WORK/db" "$DB_CACHE.tmp" && mv "$DB_CACHE.tmp" "$DB_CACHE" && touch "$DB_CACHE/.complete"
else
  log "MariaDB data directory from cache: $DB_CACHE"
  cp -a "$DB_CACHE" "$WORK/db"
fi
start_mariadb
log "MariaDB $(mariadb -h127.0.0.1 -P"$DB_PORT" -uroot -N -e 'SELECT VERSION()') on 127.0.0.1:$DB_PORT"

# ---------------------------------------------------------------- the gateway
GW_PORT=$("${BENCH[@]}" free-port)
# RateLimits__Lookup__PermitsPerSecond=0: one key sends thousands of lookups a second here, far past the
# default limit that guards a real deployment.
start_gateway() { # $1: label, $2: Database:LookupCacheDuration or "" for the default, $3: Database:PhoneIndexSyncInterval or ""
  local label=$1 cache=${2:-} sync=${3:-}
  (
    cd "$GATEWAY_DIR"
    exec env ASPNETCORE_URLS="http://127.0.0.1:$GW_PORT" ${GATEWAY_GC_SERVER:+DOTNET_gcServer=$GATEWAY_GC_SERVER} \
      Database__Provider=MySql Database__Mode=Attach ConnectionStrings__Gateway="$CS" \
      Serilog__MinimumLevel__Default=Warning "Serilog__MinimumLevel__Override__CallerIdGateway.Data=Information" \
      Asterisk__Ari__Enabled=false Asterisk__Ami__Enabled=false \
      Auth__ApiKeys__0__Name=bench Auth__ApiKeys__0__Key="$API_KEY" "Auth__ApiKeys__0__Extensions__0=*" \
      RateLimits__Lookup__PermitsPerSecond=0 \
      ${cache:+Database__LookupCacheDuration=$cache} ${sync:+Database__PhoneIndexSyncInterval=$sync} \
      dotnet CallerIdGateway.dll
  ) >"$WORK/gateway-$label.log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
  GW_START=$(now)
  for _ in $(seq 6000); do
    curl -fsS "http://127.0.0.1:$GW_PORT/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$GW_PID" 2>/dev/null || { cat "$WORK/gateway-$label.log"; exit 1; }
    sleep 0.1
  done
  echo "the gateway did not become ready" >&2; exit 1
}

# Runs wrk against one endpoint: unmeasured warm-up, then 32 and 4 connections.
# Also records the CPU time the server process ($SERVER_PID) and MariaDB spent per request.
# $1 label, $2 port, $3 path prefix, $4 duration, $5 warm-up, $6 wrk timeout
measure() {
  local label=$1 port=$2 prefix=$3 duration=$4 warmup=$5 timeout=$6 conns line app0 db0 app_us db_us requests
  if (( warmup > 0 )); then
    wrk -t1 -c32 -d"${warmup}s" --timeout "$timeout" -H "X-Api-Key: $API_KEY" -s "$ROOT/bench/lookup.lua" \
      "http://127.0.0.1:$port" -- "$SAMPLES_TSV" "$prefix" >/dev/null
  fi
  for conns in 32 4; do
    log "wrk $label: $conns connections, ${duration}s"
    app0=$(cpu_ticks "$SERVER_PID"); db0=$(cpu_ticks "$DB_PID")
    wrk -t1 -c"$conns" -d"${duration}s" --timeout "$timeout" -H "X-Api-Key: $API_KEY" -s "$ROOT/bench/lookup.lua" \
      "http://127.0.0.1:$port" -- "$SAMPLES_TSV" "$prefix" >"$WORK/wrk-$label-$conns.txt"
    line=$(grep '^WRK' "$WORK/wrk-$label-$conns.txt" | cut -f2-)
    requests=$(cut -f4 <<<"$line")
    app_us=$(( ($(cpu_ticks "$SERVER_PID") - app0) * 10000 / (requests > 0 ? requests : 1) ))
    db_us=$(( ($(cpu_ticks "$DB_PID") - db0) * 10000 / (requests > 0 ? requests : 1) ))
    line="$line	$app_us	$db_us	$(cut -d' ' -f1 /proc/loadavg)"
    note "wrk	$label	$conns	$line"
    log "  $line"
    sleep 3
  done
}

check() { # $1 label, $2 URL prefix, $3 max samples, $4 parallel
  "${BENCH[@]}" check --name "$1" --url-prefix "$2" --samples "$SAMPLES_TSV" --max "$3" --parallel "$4" --api-key "$API_KEY" \
    | tee "$WORK/check-$1.txt" | tee -a "$REPORT" >&2
  grep '^CHECK' "$WORK/check-$1.txt" | sed 's/^CHECK/check/' >> "$RESULTS"
}

log "gateway: first start on 127.0.0.1:$GW_PORT (Attach mode, empty number index)"
start_gateway cache-default
note "gateway_first_ready_seconds	$(since "$GW_START")"
log "waiting for the initial number index build"
for _ in $(seq $((INDEX_BUILD_TIMEOUT * 2))); do
  grep -q 'customers changed and re-indexed' "$WORK/gateway-cache-default.log" && break
  kill -0 "$GW_PID" 2>/dev/null || { cat "$WORK/gateway-cache-default.log"; exit 1; }
  sleep 0.5
done
grep -q 'customers changed and re-indexed' "$WORK/gateway-cache-default.log" || { echo "index build timed out" >&2; exit 1; }
note "index_build_seconds	$(since "$GW_START")"
note "index_rows	$("${SQL[@]}" -e 'SELECT COUNT(*) FROM gateway_phone_numbers') numbers, $("${SQL[@]}" -e 'SELECT COUNT(*) FROM gateway_indexed_customers') customers"
log "index built: $(grep -E '^(index|gateway)' "$RESULTS" | tr '\n' ' ')"

# What every background sync pass costs once the index is complete (it runs every 15 s by default).
start=$(now)
"${SQL[@]}" -e "SELECT COUNT(*) FROM (SELECT c.id FROM customers AS c LEFT JOIN gateway_indexed_customers AS s ON s.customer_id = c.id
  WHERE c.id > 0 AND (s.customer_id IS NULL OR s.phone_numbers <> COALESCE(CAST(c.phone_numbers AS CHAR), '') COLLATE utf8mb4_bin)
  ORDER BY c.id LIMIT 5000) AS changed" >/dev/null
note "sync_changed_query_seconds	$(since "$start")"
start=$(now)
"${SQL[@]}" -e "SELECT COUNT(*) FROM gateway_indexed_customers AS s LEFT JOIN customers AS c ON c.id = s.customer_id WHERE c.id IS NULL" >/dev/null
note "sync_deleted_query_seconds	$(since "$start")"

check gateway "http://127.0.0.1:$GW_PORT/api/customers/by-phone/" "$CHECK_MAX" 8
stop_pid "$GW_PID"

# Measured after a restart, like the other configurations: the first process has just built the
# index of every customer, and its aftermath (garbage, the full sync pass that follows) is not what
# a lookup costs day to day.
log "gateway: restart with the index in place, default settings"
start_gateway cache-default-restarted
SERVER_PID=$GW_PID
measure gateway-cache10s "$GW_PORT" /api/customers/by-phone/ "$DURATION" "$WARMUP" 10s
stop_pid "$GW_PID"

# Before the fix of 2026-11-24 a zero duration failed every lookup, and 1 ms stood in for "off"
# (runs A–F in docs/performance.md); CACHE_OFF=00:00:00.001 measures that way again.
CACHE_OFF=${CACHE_OFF:-00:00:00}
log "gateway: restart with the index in place, lookup cache $CACHE_OFF"
start_gateway cache-off "$CACHE_OFF"
note "gateway_restart_ready_seconds	$(since "$GW_START")"
check gateway-cache-off "http://127.0.0.1:$GW_PORT/api/customers/by-phone/" 2000 8
SERVER_PID=$GW_PID
measure gateway-nocache "$GW_PORT" /api/customers/by-phone/ "$DURATION" "$WARMUP" 10s
stop_pid "$GW_PID"

# The same without the background index sync during the runs (its next pass is an hour away), to
# show what the periodic full comparison of customers.phone_numbers costs the lookups.
log "gateway: lookup cache $CACHE_OFF, Database:PhoneIndexSyncInterval 01:00:00"
start_gateway cache-off-nosync "$CACHE_OFF" 01:00:00
SERVER_PID=$GW_PID
measure gateway-nosync "$GW_PORT" /api/customers/by-phone/ "$DURATION" "$WARMUP" 10s
stop_pid "$GW_PID"

# ---------------------------------------------------------------- where a lookup's time goes (no HTTP)
log "lookup path breakdown (sequential, in-process)"
"${BENCH[@]}" breakdown --connection "$CS" --samples "$SAMPLES_TSV" --count "${BREAKDOWN_COUNT:-5000}" \
  | tee "$WORK/breakdown.txt" | tee -a "$REPORT" >&2

# ---------------------------------------------------------------- the references
FLOOR_PORT=$("${BENCH[@]}" free-port)
log "floor/naive server on 127.0.0.1:$FLOOR_PORT"
DOTNET_gcServer=1 "${BENCH[@]}" floor --url "http://127.0.0.1:$FLOOR_PORT" --connection "$CS" >"$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
PIDS+=("$FLOOR_PID")
for _ in $(seq 300); do curl -fsS "http://127.0.0.1:$FLOOR_PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
SERVER_PID=$FLOOR_PID
check floor "http://127.0.0.1:$FLOOR_PORT/floor/by-phone/" "$CHECK_MAX" 8
measure floor "$FLOOR_PORT" /floor/by-phone/ "$DURATION" "$WARMUP" 10s
if [[ $NAIVE == 1 ]]; then
  check naive "http://127.0.0.1:$FLOOR_PORT/naive/by-phone/" "$NAIVE_CHECK_MAX" 2
  "${BENCH[@]}" naive-share --data "$DATA_CACHE" | tee "$WORK/check-naive-exact.txt" | tee -a "$REPORT" >&2
  grep '^NAIVESHARE' "$WORK/check-naive-exact.txt" | awk -F'\t' '{ printf "check\tnaive-exact\t%s\t%s\t0\t0\t0\t0\t0\n", $2, $3 }' >> "$RESULTS"
  measure naive "$FLOOR_PORT" /naive/by-phone/ "$NAIVE_DURATION" 0 120s
fi
stop_pid "$FLOOR_PID"

# Optional: the initial index build again, in-process, with nothing else running.
if [[ ${INDEX_EXPERIMENT:-0} == 1 ]]; then
  log "index build experiment"
  "${BENCH[@]}" index-build --connection "$CS" | tee -a "$REPORT" | grep '^INDEXBUILD' \
    | awk -F'\t' '{ printf "index_build_inprocess_seconds\t%s (%s customers)\n", $4, $3 }' >> "$RESULTS"
fi
stop_mariadb

# ---------------------------------------------------------------- the table
{
  echo
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  grep -vE '^(wrk|check)' "$RESULTS"
  echo
  awk -F'\t' '
    $1 == "wrk" { rps[$2, $3] = $4; p50[$2, $3] = $5; p99[$2, $3] = $6; n[$2, $3] = $7; non2xx[$2, $3] = $8; err[$2, $3] = $9; app[$2, $3] = $10; db[$2, $3] = $11; load[$2, $3] = $12; seen[$2] = 1 }
    $1 == "check" { name = $2; if (name == "gateway") { c["gateway-cache10s"] = $0 } else if (name == "gateway-cache-off") { c["gateway-nocache"] = $0; c["gateway-nosync"] = $0 } else { c[name] = $0 } }
    END {
      order[1] = "gateway-cache10s"; order[2] = "gateway-nocache"; order[3] = "gateway-nosync"; order[4] = "floor"; order[5] = "naive"
      if ("naive-exact" in c) { exact = c["naive-exact"] }
      printf "%-18s %10s %8s %9s %9s %9s %9s %16s %12s\n", "endpoint", "rps@32", "vs floor", "p50@4 ms", "p99@4 ms", "p99/floor", "p99@32 ms", "known resolved", "unknown 404"
      for (k = 1; k <= 5; k++) {
        e = order[k]; if (!(e in seen)) continue
        split(c[e], f, "\t")
        known = f[3] > 0 ? sprintf("%.2f%% (%d)", 100 * f[4] / f[3], f[3]) : "-"
        if (e == "naive" && exact != "") { split(exact, x, "\t"); known = sprintf("%.2f%% (%d)", 100 * x[4] / x[3], x[3]) }
        unk = f[5] > 0 ? sprintf("%.1f%%", 100 * f[6] / f[5]) : "-"
        printf "%-18s %10.1f %7.1f%% %9.2f %9.2f %8.2fx %9.2f %16s %12s\n", e, rps[e, 32], 100 * rps[e, 32] / rps["floor", 32], p50[e, 4], p99[e, 4], p99[e, 4] / p99["floor", 4], p99[e, 32], known, unk
      }
      print ""
      print "per run: requests / non-2xx / socket errors; CPU per request in microseconds: server process + MariaDB; load average after the run"
      print "(non-2xx includes the 404s of unknown numbers, ~10 % of the samples)"
      if (exact != "") { split(c["naive"], f, "\t"); printf "naive known resolved: exact over all known samples from the data set; asked of the server: %d of %d\n\n", f[4], f[3] }
      for (k = 1; k <= 5; k++) { e = order[k]; if (!(e in seen)) continue
        printf "  %-18s 32c: %d / %d / %d, cpu %d + %d us, load %s   4c: %d / %d / %d, cpu %d + %d us, load %s\n", e, n[e, 32], non2xx[e, 32], err[e, 32], app[e, 32], db[e, 32], load[e, 32], n[e, 4], non2xx[e, 4], err[e, 4], app[e, 4], db[e, 4], load[e, 4] }
    }' "$RESULTS"
  echo
  echo "lookup path, one at a time, in-process (wall us / CPU us per lookup):"
  grep '^BREAKDOWN' "$WORK/breakdown.txt" | awk -F'\t' '{ printf "  %-42s %8s %8s\n", $2, $3, $4 }'
  echo
  echo "per caller-ID form (known samples resolved to the right customer):"
  cat "$WORK"/check-*.txt | grep '^FORM' | awk -F'\t' '{ printf "  %-18s %-18s %6d %7s\n", $2, $3, $4, $6 }'
  grep -h '^MISS' "$WORK"/check-*.txt | head -20 | sed 's/^/  /' || true
} | tee -a "$REPORT"
log "report kept in $REPORT"
