-- The patient journey through the gateway, one journey after another on each connection (wrk runs one connection
-- per thread: a journey's state is per thread): login, providers, connections, claims, athena account, refresh,
-- logout. Paced wrk2-style at a fixed rate (SOAK_RATE requests/s over SOAK_THREADS threads): each request has a
-- due time and delay() waits until it; a server slower than the pace shows as behind_ms (how late the last request
-- went out, the worst of the run), not as coordinated omission hidden in the percentiles. Environment: SOAK_RATE, SOAK_THREADS,
-- SOAK_CONNECTION (a connection of the user at athenahealth), SOAK_USER/SOAK_PASSWORD/SOAK_TENANT.
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } soak_timespec;
  int clock_gettime(int clk_id, soak_timespec *tp);
]]
local ts = ffi.new("soak_timespec")
local function now_ms() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6 end

local threads = {}
function setup(thread) table.insert(threads, thread) end

local USER = os.getenv("SOAK_USER") or "demo"
local PASSWORD = os.getenv("SOAK_PASSWORD") or "demo-password-1"
local TENANT = os.getenv("SOAK_TENANT") or "clinicwave"
local CONNECTION = os.getenv("SOAK_CONNECTION") or "none"
local interval = 1000.0 * tonumber(os.getenv("SOAK_THREADS") or "2") / tonumber(os.getenv("SOAK_RATE") or "14")

local STEPS = { "login", "providers", "connections", "claims", "athena", "refresh", "logout" }
local EXPECTED = { login = 200, providers = 200, connections = 200, claims = 200, athena = 200, refresh = 200,
  logout = 204 }
local JSON = { ["Content-Type"] = "application/json" }
local step, access, refresh_token, due = 0, "", "", nil
errors, sent, behind_ms, failed = 0, 0, 0, ""

function delay()
  local now = now_ms()
  if due == nil then due = now end
  local wait = due - now
  due = due + interval
  if wait < 0 then behind_ms = math.max(behind_ms, -wait); return 0 end -- late: send now, catch up on the schedule
  return math.floor(wait)
end

function request()
  -- No session yet (wrk also calls request() once at start without sending it, or the last journey ended): log in.
  if access == "" then step = 0 end
  step = step % #STEPS + 1
  local name = STEPS[step]
  local auth = { Authorization = "Bearer " .. access, ["Content-Type"] = "application/json" }
  if name == "login" then
    return wrk.format("POST", "/api/v1/auth/login", JSON,
      '{"username":"' .. USER .. '","password":"' .. PASSWORD .. '","tenant":"' .. TENANT .. '"}')
  elseif name == "providers" then return wrk.format("GET", "/api/providers", auth)
  elseif name == "connections" then return wrk.format("GET", "/api/connections", auth)
  elseif name == "claims" then return wrk.format("GET", "/api/connections/" .. CONNECTION .. "/claims?page_size=20", auth)
  elseif name == "athena" then return wrk.format("GET", "/api/athena/connections/" .. CONNECTION .. "/patient", auth)
  elseif name == "refresh" then
    return wrk.format("POST", "/api/v1/auth/refresh", JSON, '{"refresh_token":"' .. refresh_token .. '"}')
  else return wrk.format("POST", "/api/v1/auth/logout", auth, "{}") end
end

function response(status, headers, body)
  local name = STEPS[step]
  sent = sent + 1
  if status ~= EXPECTED[name] then
    errors = errors + 1
    if #failed < 400 then failed = failed .. name .. "=" .. status .. " " end
    if name == "login" or name == "refresh" or name == "logout" then access = "" end -- next: a new login
    return
  end
  if name == "logout" then access = "" end
  if name == "login" or name == "refresh" then
    access = body:match('"access_token"%s*:%s*"([^"]+)"') or ""
    refresh_token = body:match('"refresh_token"%s*:%s*"([^"]+)"') or ""
  end
end

function done(summary, latency, requests)
  local errs, n, worst, fails = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    errs = errs + t:get("errors"); n = n + t:get("sent")
    worst = math.max(worst, t:get("behind_ms")); fails = fails .. t:get("failed")
  end
  io.write(string.format("SOAK requests=%d errors=%d socket_errors=%d p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f "
    .. "rate=%.2f behind_ms=%.0f%s\n", n, errs,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6), worst,
    fails ~= "" and (" failed: " .. fails) or ""))
end
