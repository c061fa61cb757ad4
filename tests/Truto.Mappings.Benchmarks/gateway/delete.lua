-- DELETE with the token the script exports (empty for the direct and YARP runs).
wrk.method = "DELETE"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
