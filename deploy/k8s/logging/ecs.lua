-- logstash-logback-encoder field names -> Elastic Common Schema, exactly as deploy/logstash/pipeline/clinicwave.conf
-- maps them (KubernetesLogShippingTests runs this script and the pipeline's rules on the same lines and compares).
-- Written for Lua 5.1 (Fluent Bit's LuaJIT) and later.

-- The pipeline's `mutate { rename => { ... } }`, in the same order.
local RENAMES = {
  { "level", "log.level" },
  { "logger_name", "log.logger" },
  { "thread_name", "process.thread.name" },
  { "traceId", "trace.id" },
  { "spanId", "span.id" },
  { "service", "service.name" },
  { "stack_trace", "error.stack_trace" },
}

-- The pipeline's `remove_field`, and what the container runtime's log format adds.
local REMOVED = { "@version", "level_value", "version", "_p", "time" }

local function split(path)
  local parts = {}
  for part in string.gmatch(path, "[^%.]+") do
    parts[#parts + 1] = part
  end
  return parts
end

local function get(record, path)
  local node = record
  for _, key in ipairs(split(path)) do
    if type(node) ~= "table" then
      return nil
    end
    node = node[key]
  end
  return node
end

local function set(record, path, value)
  local parts = split(path)
  local node = record
  for i = 1, #parts - 1 do
    if type(node[parts[i]]) ~= "table" then
      node[parts[i]] = {}
    end
    node = node[parts[i]]
  end
  node[parts[#parts]] = value
end

-- A JWT (three base64url parts) anywhere in a text, as the pipeline's gsub does.
local function mask_jwt(text)
  return (string.gsub(text, "eyJ([%w_%-]+)%.([%w_%-]+)%.([%w_%-]*)", function(head, payload)
    if #head >= 5 and #payload >= 5 then
      return "[masked]"
    end
    return nil
  end))
end

-- "Bearer <token>" (any case) keeps the word and masks a token of 8 or more characters.
local function mask_bearer(text)
  return (string.gsub(text, "([Bb][Ee][Aa][Rr][Ee][Rr] )([%w%._~%+/=%-]+)", function(word, token)
    if #token >= 8 then
      return word .. "[masked]"
    end
    return nil
  end))
end

function ecs(tag, timestamp, record)
  -- A line that was not JSON: the runtime's `log` field is the message.
  if type(record["log"]) == "string" then
    if record["message"] == nil then
      record["message"] = record["log"]
    end
    record["log"] = nil
  end

  local values = {}
  for _, rename in ipairs(RENAMES) do
    values[rename[1]] = record[rename[1]]
    record[rename[1]] = nil
  end
  for _, rename in ipairs(RENAMES) do
    if values[rename[1]] ~= nil then
      set(record, rename[2], values[rename[1]])
    end
  end
  for _, field in ipairs(REMOVED) do
    record[field] = nil
  end

  -- Without a service name (banner, crash), the container's name, as the pipeline takes the GELF tag.
  local container = get(record, "kubernetes.container_name")
  if get(record, "service.name") == nil and container ~= nil then
    set(record, "service.name", container)
  end
  if get(record, "error.stack_trace") ~= nil then
    set(record, "event.kind", "event")
  end
  local level = get(record, "log.level")
  if type(level) == "string" then
    set(record, "log.level", string.lower(level))
  end

  if type(record["message"]) == "string" then
    record["message"] = mask_bearer(mask_jwt(record["message"]))
  end
  local stack = get(record, "error.stack_trace")
  if type(stack) == "string" then
    set(record, "error.stack_trace", mask_jwt(stack))
  end
  return 2, timestamp, record
end
