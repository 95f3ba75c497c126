-- wrk script (bench/flood.sh): every request POSTs the same form body, with a session cookie.
--   wrk -s bench/form.lua URL -- BODY_FILE COOKIE
local request_text

function init(args)
  local file, cookie = args[1], args[2]
  if not file or not cookie then error("usage: wrk -s form.lua URL -- BODY_FILE COOKIE") end
  local f = assert(io.open(file, "rb"))
  local body = f:read("*a")
  f:close()
  request_text = wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end

function request()
  return request_text
end
