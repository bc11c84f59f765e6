-- One of many paths at random per request, for `bun run bench` (wrk -s random-path.lua -- data.lua):
-- product detail by real slugs, search with typo'd words. data.lua (written by
-- bench/run.ts) returns { paths = { "/api/v1/products/classic-linen-tee-17", ... } }.
--
-- Each request comes from one of 10,000 shoppers (X-Forwarded-For; the bench's server trusts it):
-- search has its own per-caller limit (120 a minute), which one address would reach in a second.
local paths

function init(args)
  paths = dofile(args[1]).paths
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

request = function()
  local shopper = math.random(10000)
  local headers = { ["X-Forwarded-For"] = "10.0." .. math.floor(shopper / 256) .. "." .. (shopper % 256) }
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
