-- wrk script (bench/bulk.sh): POSTs prepared bodies to /api/v1/verifications in turn, each with
-- the verifier key, so that the requests ask for many different IDs.
--   wrk -s bench/bulk.lua URL -- KEY BODY_FILE...
-- Each wrk thread starts at its own place in the list of bodies.

local created = {}

function setup(thread)
  thread:set("thread_number", #created)
  table.insert(created, thread)
  for _, t in ipairs(created) do t:set("thread_count", #created) end
end

local requests = {}
local next_index = 0

function init(args)
  local key = args[1]
  if not key or not args[2] then error("usage: wrk -s bulk.lua URL -- KEY BODY_FILE...") end
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
  for i = 2, #args do
    local f = assert(io.open(args[i], "rb"))
    local body = f:read("*a")
    f:close()
    requests[#requests + 1] = wrk.format("POST", nil, headers, body)
  end
  local n, count = tonumber(thread_number) or 0, tonumber(thread_count) or 1
  next_index = math.floor(#requests * n / math.max(count, 1)) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
