#!/bin/bash
# What switching telemetry on costs a unified delete through the real server (Release), measured
# with wrk against nginx answering 204 (Debian's wrk and nginx), each setting in turn, several
# rounds so the machine's noise shows: default (nothing exported), Prometheus on, OTLP on (to a
# port nobody listens on: recording and failed exports, no collector).
# Usage: bash tests/Truto.Mappings.Benchmarks/results/telemetry/gateway-ab.sh [rounds]  → gateway-ab.txt beside it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
rounds=${1:-3}
work=$(mktemp -d)
trap 'kill $(cat "$work/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/nginx.conf" <<NGINX
worker_processes 1; daemon on; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  server { listen 127.0.0.1:9200; location / { return 204; } } }
NGINX
nginx -c "$work/nginx.conf"
dotnet build -c Release "$root/src/Truto.Mappings.Server" > /dev/null
app="$root/src/Truto.Mappings.Server/bin/Release/net10.0/Truto.Mappings.Server"
export ConnectionStrings__Truto="Data Source=$work/truto.db" DataProtection__KeysFolder="$work/keys" TRUTO_API_TOKEN=bench-token
# Nutshell declares no request rate (HubSpot's 190 per 10 s would be what is measured); Warning
# logging so the instrumentation, not the console, is what differs.
export Providers__nutshell__BaseUrl=http://127.0.0.1:9200 Logging__LogLevel__Default=Warning
account=$("$app" accounts add --integration nutshell --context '{"username":"u","api_key":"k"}' 2>/dev/null)
url="http://127.0.0.1:5090/unified/crm/contacts/51?integrated_account_id=$account"
measure() {
  local label=$1; shift
  "$app" --urls http://127.0.0.1:5090 "$@" > "$work/server-$label.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:5090/healthz && break; sleep 0.2; done
  wrk -t1 -c8 -d5s -s "$here/delete.lua" "$url" > /dev/null
  echo "$label, 1 connection: $(wrk -t1 -c1 -d10s --latency -s "$here/delete.lua" "$url" | grep -E ' 50%| 99%|Requests/sec' | tr -s ' ' | tr '\n' ' ')"
  echo "$label, 32 connections: $(wrk -t2 -c32 -d10s -s "$here/delete.lua" "$url" | grep -E 'Requests/sec' | tr -s ' ')"
  kill $pid; wait $pid 2>/dev/null || true
}
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for round in $(seq 1 "$rounds"); do
    measure default
    measure prometheus --Telemetry:Prometheus:Enabled=true
    measure otlp --OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317
  done
  echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$here/gateway-ab.txt"
