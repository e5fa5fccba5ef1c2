-- Logins spread over 200 registered users (bench1..bench200), as a real population would.
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
local i = 0
function request()
  i = i + 1
  local n = ((i * 2 + id) % 200) + 1
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"},
    '{"username":"bench' .. n .. '","password":"bench-password-' .. n .. '-x"}')
end
