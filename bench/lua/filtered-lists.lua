-- Uncached filtered product lists for `bun run bench` (wrk -s filtered-lists.lua -- data.lua).
-- data.lua (written by bench/run.ts from the seeded catalog) returns:
--   lists       list paths with real filters and a sort ("/api/v1/products?limit=20&sort=price_asc&categoryId=...")
--   next_pages  second pages of some of them (their cursor as the first page answered it)
--   min_price, max_price   the catalog's price range in cents
-- Nearly every request misses the cache: each list path gets a random price bound
-- appended; one request in ten asks for a second page (those repeat, and may hit).
local data

function init(args)
  data = dofile(args[1])
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

request = function()
  if #data.next_pages > 0 and math.random() < 0.1 then
    return wrk.format("GET", data.next_pages[math.random(#data.next_pages)])
  end
  local path = data.lists[math.random(#data.lists)]
  local price = math.random(data.min_price, data.max_price)
  local bound = math.random() < 0.5 and "&minPrice=" or "&maxPrice="
  return wrk.format("GET", path .. bound .. price)
end
