#!/usr/bin/env bash
# Gateway load benchmark (issue 12): the cost of going through the unified server, next to calling
# the provider directly and to YARP forwarding the same call. Not part of the tests; run it before
# and after a change to the request path:
#   tests/Truto.Mappings.Benchmarks/gateway/run.sh [label]      # DURATION=10s by default
#   LOG_LEVEL=Warning tests/Truto.Mappings.Benchmarks/gateway/run.sh [label]   # the server's Logging:LogLevel:Default
# Writes a row set to tests/Truto.Mappings.Benchmarks/results/gateway.md (appended, with date,
# machine and load average).
#
# The provider is nginx answering Close's delete (200 {}) at once. Close is used because its
# delete is one call and its YAML declares no request rate: HubSpot's 19/s or Pipedrive's 40/s
# would be what wrk measures. The server runs in Release with its default settings (appsettings:
# Information logging to the console, here into a file), SQLite, a stored API token (admin command)
# and an account created with POST /integrated-account, the provider's base URL at the stub.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
label=${1:-run}
duration=${DURATION:-10s}
stub_port=${STUB_PORT:-18081}
yarp_port=${YARP_PORT:-18082}
server_port=${SERVER_PORT:-18083}
results="$root/tests/Truto.Mappings.Benchmarks/results/gateway.md"
work=$(mktemp -d /tmp/truto-gateway.XXXXXX)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
fi

wait_for() { # url
  for _ in $(seq 1 300); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  echo "nothing answered at $1" >&2; exit 1
}

echo "building (Release)…" >&2
dotnet build -c Release -v q -nologo "$root/src/Truto.Mappings.Server" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build -c Release -v q -nologo "$here/Forwarder" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

# The provider: nginx, one worker, answering every request as Close answers a delete.
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$stub_port;
    location / { default_type application/json; return 200 '{}'; }
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
wait_for "http://127.0.0.1:$stub_port/"

# The reference: YARP 2.3.0 forwarding to the stub, logging as the template does (Warning for ASP.NET Core).
dotnet "$here/Forwarder/bin/Release/net10.0/Forwarder.dll" --urls "http://127.0.0.1:$yarp_port" \
  --Forwarder:Destination="http://127.0.0.1:$stub_port" --Logging:LogLevel:Default=Information \
  --Logging:LogLevel:Microsoft.AspNetCore=Warning >"$work/yarp.log" 2>&1 &
pids+=($!)

# The unified server: default settings, its own SQLite file and key folder.
server_dll="$root/src/Truto.Mappings.Server/bin/Release/net10.0/Truto.Mappings.Server.dll"
export ConnectionStrings__Truto="Data Source=$work/truto.db"
export DataProtection__KeysFolder="$work/keys"
export Egress__AllowedBaseUrls__0="http://127.0.0.1:$stub_port"
export Providers__close__BaseUrl="http://127.0.0.1:$stub_port"
log_level=${LOG_LEVEL:-Information}
[ -z "${LOG_LEVEL:-}" ] || export Logging__LogLevel__Default="$LOG_LEVEL"
# Run from its output folder so its appsettings.json (the defaults) is the one read.
token=$(cd "$(dirname "$server_dll")" && dotnet "$server_dll" tokens create --name gateway-benchmark 2>/dev/null)
(cd "$(dirname "$server_dll")" && exec dotnet "$server_dll" --urls "http://127.0.0.1:$server_port" >"$work/server.log" 2>&1) &
pids+=($!)
wait_for "http://127.0.0.1:$server_port/healthz"
wait_for "http://127.0.0.1:$yarp_port/"
account=$(curl -sf -X POST "http://127.0.0.1:$server_port/integrated-account" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"integration": "close", "context": {"api_key": "gateway-benchmark-key"}}' | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
[ -n "$account" ] || { echo "could not create the account" >&2; cat "$work/server.log" >&2; exit 1; }

contact=cont_GatewayBenchmark1
direct_url="http://127.0.0.1:$stub_port/contact/$contact/"
yarp_url="http://127.0.0.1:$yarp_port/contact/$contact/"
unified_url="http://127.0.0.1:$server_port/unified/crm/contacts/$contact?integrated_account_id=$account"
status=$(curl -s -o "$work/answer.json" -w '%{http_code}' -X DELETE "$unified_url" -H "Authorization: Bearer $token")
[ "$status" = 200 ] || { echo "unified delete answered $status: $(cat "$work/answer.json")" >&2; exit 1; }

# wrk's --latency block: "50%  123.00us" → microseconds.
micros() { # percentile file
  awk -v p="$1" '$1 == p { v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
    m = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : 0; printf "%.0f", v * m }' "$2"
}
measure() { # name url token → "p50 p99 rps"
  local name=$1 url=$2
  export BENCH_TOKEN=$3
  wrk -t1 -c1 -d2s -s "$here/delete.lua" "$url" >/dev/null                       # warm-up (JIT, pools)
  wrk -t1 -c1 -d"$duration" --latency -s "$here/delete.lua" "$url" >"$work/$name.1.txt"
  wrk -t2 -c32 -d"$duration" -s "$here/delete.lua" "$url" >"$work/$name.32.txt"
  if grep -q 'Non-2xx' "$work/$name.1.txt" "$work/$name.32.txt"; then
    echo "$name: non-2xx answers" >&2; grep -h 'Non-2xx' "$work/$name".*.txt >&2; exit 1
  fi
  echo "$(micros 50% "$work/$name.1.txt") $(micros 99% "$work/$name.1.txt") $(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$work/$name.32.txt")"
}

echo "measuring ($duration per run)…" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
read -r d50 d99 drps <<<"$(measure direct "$direct_url" "")"
read -r y50 y99 yrps <<<"$(measure yarp "$yarp_url" "")"
read -r u50 u99 urps <<<"$(measure unified "$unified_url" "$token")"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

ratio=$(awk -v u="$urps" -v y="$yrps" 'BEGIN { printf "%.2f", u / y }')
[ -f "$results" ] || cat >"$results" <<'HEAD'
# Gateway benchmark

`tests/Truto.Mappings.Benchmarks/gateway/run.sh [label]` appends a table per run: wrk against nginx
answering Close's delete (`200 {}`) directly, through YARP 2.3.0, and through the unified server
(`DELETE /unified/crm/contacts/{id}`, Release, default settings: Information logging to the
console, SQLite, a stored token). p50/p99 at one connection, requests/s at 32 connections (2 wrk
threads). "added" is the p50 over calling the provider directly. wrk, nginx and both .NET
processes share the machine, so requests/s is bounded by it as much as by the gateway.
HEAD
{
  echo
  echo "## $label — $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$root" rev-parse --short HEAD)"
  echo
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1), $(dotnet --version) SDK; load average before $load_before, after $load_after; $duration per run; server logging at $log_level."
  echo
  echo "| path | p50 (1 conn) | p99 (1 conn) | added at p50 | requests/s (32 conn) |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| direct (nginx) | ${d50} µs | ${d99} µs | — | ${drps} |"
  echo "| YARP 2.3.0 | ${y50} µs | ${y99} µs | +$((y50 - d50)) µs | ${yrps} |"
  echo "| unified server | ${u50} µs | ${u99} µs | +$((u50 - d50)) µs | ${urps} (${ratio}× YARP) |"
} >>"$results"
tail -n 8 "$results"
