#!/usr/bin/env bash
# The benchmark: authspec against curl -K (and oha / wrk when installed) on one target
# that answers `GET /ok`, at 1,000 / 10,000 / 100,000 checks, medians of --runs runs,
# with the server and the clients pinned to different cores where there are two.
# Ratios measured in one run are what counts: absolute numbers move with whatever else
# the machine is doing.
#
#   bash bench/run.sh [--sizes "1000 10000 100000"] [--runs 3] [--bin PATH]
#
# The target is nginx when it is installed (connections counted by stub_status), else
# bench/server.py (counts them itself). It prints one table row per tool and size, and
# the ratios the project tracks. Not part of .ci/run: timings on a shared machine are
# noise; tests/bench.rs runs it on a tiny size so the script keeps working.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

sizes="1000 10000 100000"
runs=3
bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    *) echo "usage: bench/run.sh [--sizes \"1000 10000\"] [--runs N] [--bin PATH]" >&2; exit 2 ;;
  esac
done
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "error: the benchmark needs $tool" >&2; exit 2; }
done
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release --locked -q)
  bin="$root/target/release/authspec"
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

server_cpu=() client_cpu=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  server_cpu=(taskset -c 0) client_cpu=(taskset -c 1)
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
if command -v nginx >/dev/null; then
  server="nginx"
  mkdir -p "$work/nginx"
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path $work/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    location /ok { default_type application/json; return 200 '{"ok":true}'; }
    location /connections { stub_status; }
  }
}
CONF
  "${server_cpu[@]}" nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  server_pid=$!
else
  server="bench/server.py"
  "${server_cpu[@]}" python3 "$here/server.py" "$work/port" &
  server_pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
  port="$(cat "$work/port")"
fi
url="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$url/ok" >/dev/null && break; sleep 0.05; done
curl -fs "$url/ok" >/dev/null || { echo "error: the target did not start ($server)" >&2; exit 1; }

# Connections accepted so far (the query itself is one more).
connections() {
  local text
  text="$(curl -fs "$url/connections")"
  if [ "$server" = nginx ]; then
    echo "$text" | awk 'NR==3 {print $1}'
  else
    echo "$text"
  fi
}

# No word of the suite names in it: a name that starts or ends like a secret is masked
# as a part of one, which is not what a bench should time.
token="fake-tok-$RANDOM$RANDOM-x"
export BENCH_URL="$url" BENCH_TOKEN="$token"

# A directory of suites of at most 10,000 cells each (a suite file is read up to 1 MiB).
suite() { # N LEAKAGE
  local n=$1 leakage=$2
  local dir="$work/bench-$n-$leakage" part=0
  mkdir -p "$dir"
  for ((start = 0; start < n; start += 10000)); do
    part=$((part + 1))
    {
      echo "suite: bench $n part $part"
      echo "target:"
      echo "  base_url: \${env:BENCH_URL}"
      [ "$leakage" = off ] && echo "leakage: off"
      echo "roles:"
      echo "  reader:"
      echo "    bearer: \${env:BENCH_TOKEN}"
      echo "access:"
      for ((i = start; i < n && i < start + 10000; i++)); do
        echo "  - request: GET /ok?n=$i"
        echo "    allow: [reader]"
      done
    } > "$dir/part-$part.yaml"
  done
}

curl_config() { # N
  local n=$1
  {
    echo "silent"
    echo "header = \"Authorization: Bearer $token\""
    for ((i = 0; i < n; i++)); do
      echo "url = \"$url/ok?n=$i\""
      echo "output = \"/dev/null\""
    done
  } > "$work/curl-$n.cfg"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure NAME N CONN_BEFORE? -- command…: appends "name n wall rss cpu conns" per run.
results="$work/results"
: > "$results"
measure() {
  local name=$1 n=$2; shift 3
  local before after out
  before="$(connections)"
  out="$("${client_cpu[@]}" python3 "$here/measure.py" --ok 0 "$@")"
  after="$(connections)"
  echo "$name $n $out $((after - before - 1))" >> "$results"
}

have_oha=""; command -v oha >/dev/null && have_oha=1
have_wrk=""; command -v wrk >/dev/null && have_wrk=1

# wrk runs for a time, not a count: its row holds the requests it made in that time
# (one thread, 64 connections), under the size it was run beside.
measure_wrk() { # N
  local n=$1 secs=3 before after out requests took
  [ "$n" -lt 1000 ] && secs=1
  before="$(connections)"
  out="$("${client_cpu[@]}" python3 "$here/measure.py" --out "$work/wrk.out" \
    wrk -t1 -c64 -d"${secs}s" -H "Authorization: Bearer $token" "$url/ok")"
  after="$(connections)"
  # "  123456 requests in 3.00s, 12.34MB read"
  read -r requests took < <(awk '/requests in/ {sub(/s,$/, "", $4); print $1, $4}' "$work/wrk.out")
  echo "wrk -c 64 $n $took ${out#* } $((after - before - 1)) $requests" >> "$results"
}

for n in $sizes; do
  suite "$n" on
  suite "$n" off
  curl_config "$n"
  for ((r = 0; r < runs; r++)); do
    measure "curl -K" "$n" -- curl -K "$work/curl-$n.cfg"
    measure "authspec" "$n" -- "$bin" run "$work/bench-$n-on" --junit "$work/r.xml"
    measure "authspec --jobs 1" "$n" -- "$bin" run "$work/bench-$n-on" --jobs 1 --junit "$work/r.xml"
    measure "authspec --jobs 64" "$n" -- "$bin" run "$work/bench-$n-on" --jobs 64 --junit "$work/r.xml"
    measure "authspec leakage:off" "$n" -- "$bin" run "$work/bench-$n-off" --junit "$work/r.xml"
    if [ -n "$have_oha" ]; then
      measure "oha -c 64" "$n" -- oha --no-tui -n "$n" -c 64 -H "Authorization: Bearer $token" "$url/ok"
    fi
    if [ -n "$have_wrk" ]; then
      measure_wrk "$n"
    fi
  done
done

echo "target: $server on 127.0.0.1 $([ ${#server_cpu[@]} -gt 0 ] && echo '(server on CPU 0, clients on CPU 1)')"
echo "machine: $(nproc) CPU(s), $(uname -sm), $(date -u +%Y-%m-%d)"
printf '\n| %-22s | %8s | %9s | %10s | %9s | %11s | %7s |\n' tool checks "wall (s)" "checks/s" "RSS (MiB)" connections "CPU (s)"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------" "----------" "-----------" "------------" "-----------" "-------------" "---------"
med() { # NAME N FIELD (2 wall, 3 RSS, 4 CPU, 5 connections, 6 requests made: wrk only)
  awk -v name="$1" -v n="$2" -v f="$3" '{
    extra = ($1 == "wrk") ? 1 : 0; last = NF - extra
    k=$1; for (i=2;i<=last-5;i++) k=k" "$i
    if (k==name && $(last-4)==n) print $(last-5+f)
  }' "$results" | median
}
declare -A wall rate cpu
for n in $sizes; do
  for name in "curl -K" "authspec" "authspec --jobs 1" "authspec --jobs 64" "authspec leakage:off" "oha -c 64" "wrk -c 64"; do
    w="$(med "$name" "$n" 2)"
    [ -n "$w" ] || continue
    rss="$(med "$name" "$n" 3)"
    cpu["$name/$n"]="$(med "$name" "$n" 4)"
    conns="$(med "$name" "$n" 5)"
    count="$n"
    [ "$name" = "wrk -c 64" ] && count="$(med "$name" "$n" 6)"
    wall["$name/$n"]="$w"
    rate["$name/$n"]="$(python3 -c "print($count/$w)")"
    printf '| %-22s | %8s | %9.3f | %10.0f | %9.1f | %11s | %7.3f |\n' "$name" "$count" "$w" "${rate["$name/$n"]}" "$(python3 -c "print($rss/1024)")" "$conns" "${cpu["$name/$n"]}"
  done
done

ratio() { python3 -c "a,b=$1,$2; print(f'{a/b:.2f}')"; }
echo
for n in $sizes; do
  c="${wall["curl -K/$n"]}" d="${wall["authspec/$n"]}" j1="${wall["authspec --jobs 1/$n"]}"
  off="${wall["authspec leakage:off/$n"]}" j64="${wall["authspec --jobs 64/$n"]}"
  echo "at $n checks: --jobs 1 / curl -K = $(ratio "$j1" "$c") (target <= 1.2); curl -K / default = $(ratio "$c" "$d") (target >= 2); default / leakage:off = $(ratio "$d" "$off") (target <= 1.15)"
  # The same cost in CPU time, which a shared machine disturbs less than wall time.
  echo "at $n checks: CPU time default / leakage:off = $(ratio "${cpu["authspec/$n"]}" "${cpu["authspec leakage:off/$n"]}") (target <= 1.15)"
  for tool in "oha -c 64" "wrk -c 64"; do
    if [ -n "${rate["$tool/$n"]:-}" ]; then
      echo "at $n checks: authspec --jobs 64 rate / $tool rate = $(ratio "${rate["authspec --jobs 64/$n"]}" "${rate["$tool/$n"]}") (target >= 0.5)"
    fi
  done
done
[ -n "$have_oha" ] || echo "(oha is not installed: no oha row)"
[ -n "$have_wrk" ] || echo "(wrk is not installed: no wrk row; Debian: apt-get install wrk)"
