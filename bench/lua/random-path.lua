-- One of many paths at random per request, for `bun run bench` (wrk -s random-path.lua -- data.lua):
-- product detail by real slugs, search with typo'd words. data.lua (written by
-- bench/run.ts) returns { paths = { "/api/v1/products/classic-linen-tee-17", ... } }.
local paths

function init(args)
  paths = dofile(args[1]).paths
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
