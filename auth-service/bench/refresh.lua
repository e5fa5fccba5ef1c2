-- Rotating refresh: every response carries the successor token, which goes back into this thread's pool.
local pool = {}
local errors = 0
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  local n = 0
  for line in io.lines("/tmp/authbench/tokens.txt") do
    n = n + 1
    if n % 2 == id % 2 then table.insert(pool, line) end
  end
end
function request()
  local t = table.remove(pool, 1)
  return wrk.format("POST", "/api/v1/auth/refresh", {["Content-Type"] = "application/json"}, '{"refresh_token":"' .. t .. '"}')
end
function response(status, headers, body)
  local t = body:match('"refresh_token":"([^"]+)"')
  if t then table.insert(pool, t) else errors = errors + 1 end
end
