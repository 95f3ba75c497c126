-- wrk script (bench/lib.sh): requests PREFIX .. ID for each line of a file of IDs, in turn, so
-- that a benchmark reads many rows rather than one hot row.
--   wrk -s bench/rotate.lua URL -- PREFIX IDS_FILE
-- Each wrk thread has its own copy of this script; thread n starts n/threads of the way through
-- the list, so the threads do not ask for the same ID at the same moment.

local created = {}

-- Called for each thread before any starts: numbers them, and tells each how many there are.
function setup(thread)
  thread:set("thread_number", #created)
  table.insert(created, thread)
  for _, t in ipairs(created) do t:set("thread_count", #created) end
end

local paths = {}
local next_index = 0

function init(args)
  local prefix, file = args[1], args[2]
  if not prefix or not file then error("usage: wrk -s rotate.lua URL -- PREFIX IDS_FILE") end
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = prefix .. line end
  end
  if #paths == 0 then error("no IDs in " .. file) end
  local n, count = tonumber(thread_number) or 0, tonumber(thread_count) or 1
  next_index = math.floor(#paths * n / math.max(count, 1)) % #paths
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format(nil, paths[next_index])
end
