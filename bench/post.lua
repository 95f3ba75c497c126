-- wrk script (bench/lib.sh): every request POSTs the same JSON body, read from a file.
--   wrk -s bench/post.lua URL -- BODY_FILE
local request_text

function init(args)
  local file = args[1]
  if not file then error("usage: wrk -s post.lua URL -- BODY_FILE") end
  local f = assert(io.open(file, "rb"))
  local body = f:read("*a")
  f:close()
  request_text = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function request()
  return request_text
end
