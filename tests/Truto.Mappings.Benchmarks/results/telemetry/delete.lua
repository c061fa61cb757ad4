wrk.method = "DELETE"
wrk.headers["Authorization"] = "Bearer bench-token"
