-- wrk script (bench/lib.sh): every request POSTs a JSON body read from a file.
--   wrk -s bench/post.lua URL -- BODY_FILE [URL]
-- When the body holds "{n}", each request puts a token there that no other request of the run has
-- (the second wrk was started, the port of the URL given after the file, the thread and a
-- counter), for endpoints that refuse a repeat, such as applications with their contact address
-- (bench/applications.sh). The port keeps apart two wrk started in the same second against two
-- sengen nodes.
local created = 0

function setup(thread)
  created = created + 1
  thread:set("thread_id", created)
end

local fixed, pieces, headers
local count = 0
local started = os.time()
local port = ""

function init(args)
  local file = args[1]
  if not file then error("usage: wrk -s post.lua URL -- BODY_FILE [URL]") end
  if args[2] then port = args[2]:match("^%a+://[^/]*:(%d+)") or "" end
  local f = assert(io.open(file, "rb"))
  local body = f:read("*a")
  f:close()
  headers = { ["Content-Type"] = "application/json" }
  if not body:find("{n}", 1, true) then
    fixed = wrk.format("POST", nil, headers, body)
    return
  end
  pieces = {}
  local from = 1
  while true do
    local at = body:find("{n}", from, true)
    if not at then break end
    pieces[#pieces + 1] = body:sub(from, at - 1)
    from = at + 3
  end
  pieces[#pieces + 1] = body:sub(from)
end

function request()
  if fixed then return fixed end
  count = count + 1
  local token = started .. "-" .. port .. "-" .. tostring(thread_id) .. "-" .. count
  return wrk.format("POST", nil, headers, table.concat(pieces, token))
end
