#!/usr/bin/env python3
"""Peak memory of the real server (Release) while a provider on loopback answers 300 MB.

Reproduces the numbers in memory-300mb.md:

    dotnet build -c Release src/Truto.Mappings.Server
    python3 tests/Truto.Mappings.Benchmarks/results/measure-300mb.py

For each response format (unified: the default, buffered; stream) a fresh server process is
started, an integrated HubSpot account is created whose base_url points at a fake provider on
127.0.0.1, one small delete warms the server up, and then one delete is answered by the provider
with 300 MB (made as it is sent, no Content-Length, so the server cannot refuse it up front). The
server's resident set is sampled every 10 ms from /proc/<pid>/status (VmRSS) and its lifetime peak
(VmHWM) read at the end. Linux only; standard library only.
"""
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SERVER_DLL = os.path.join(ROOT, "src", "Truto.Mappings.Server", "bin", "Release", "net10.0", "Truto.Mappings.Server.dll")
SIZE = 300 * 1024 * 1024
TOKEN = "measure-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Provider(http.server.BaseHTTPRequestHandler):
    """HubSpot's delete: '/warm' ids get 204, any other id 300 MB of JSON-looking bytes."""

    protocol_version = "HTTP/1.0"  # no Content-Length: the body ends when the connection closes

    def do_DELETE(self):
        if self.path.endswith("/warm"):
            self.send_response(204)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        chunk = b'{"a":[' * 10923  # 64 KiB
        sent = 0
        try:
            while sent < SIZE:
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: that is the bounded case

    def log_message(self, *args):
        pass


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def request(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    try:
        return urllib.request.urlopen(req, timeout=600)
    except urllib.error.HTTPError as e:
        return e


def measure(fmt, provider_url):
    work = tempfile.mkdtemp(prefix="truto-measure-")
    port = free_port()
    server = subprocess.Popen(
        ["dotnet", SERVER_DLL, "--urls", f"http://127.0.0.1:{port}",
         f"--ConnectionStrings:Truto=Data Source={work}/truto.db", f"--DataProtection:KeysFolder={work}/keys",
         f"--TRUTO_API_TOKEN={TOKEN}", "--Logging:LogLevel:Default=Warning"],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        created = json.load(request("POST", base + "/integrated-account", {
            "integration": "hubspot", "context": {"base_url": provider_url, "oauth": {"token": {"access_token": "t"}}}}))
        account = created["id"]
        request("DELETE", f"{base}/unified/crm/contacts/warm?integrated_account_id={account}").read()
        baseline = status_kib(server.pid, "VmRSS")

        peak = [baseline]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], status_kib(server.pid, "VmRSS"))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.time()
        response = request("DELETE", f"{base}/unified/crm/contacts/big?integrated_account_id={account}&truto_response_format={fmt}")
        received = 0
        while True:
            block = response.read(1024 * 1024)
            if not block:
                break
            received += len(block)
        elapsed = time.time() - started
        done.set()
        sampler.join()
        return {
            "format": fmt,
            "status": response.status if hasattr(response, "status") else response.code,
            "bytes_to_caller": received,
            "seconds": round(elapsed, 1),
            "rss_before_mib": round(baseline / 1024, 1),
            "rss_peak_sampled_mib": round(peak[0] / 1024, 1),
            "vm_hwm_mib": round(status_kib(server.pid, "VmHWM") / 1024, 1),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def main():
    if not os.path.exists(SERVER_DLL):
        sys.exit(f"Build first: dotnet build -c Release src/Truto.Mappings.Server ({SERVER_DLL} is missing)")
    provider = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=provider.serve_forever, daemon=True).start()
    provider_url = f"http://127.0.0.1:{provider.server_address[1]}"
    results = [measure(fmt, provider_url) for fmt in ("unified", "stream")]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
