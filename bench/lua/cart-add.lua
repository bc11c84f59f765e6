-- Adds one unit to a random guest cart per request, for `bun run bench` (wrk -s cart-add.lua -- data.lua).
-- data.lua (written by bench/cart-targets.ts) returns
--   { carts = { "<cart id> <token>", ... }, variants = { "<variant id>", ... } }
-- Each cart draws from its own 5 of the variants, so carts stay the size shoppers' carts are
-- (at most 5 lines) while their quantities grow: 200 carts x 5 lines x 99 units is far more than a run sends.
local LINES = 5
local carts, variants

function init(args)
  local data = dofile(args[1])
  carts, variants = {}, data.variants
  for _, entry in ipairs(data.carts) do
    local id, token = entry:match("^(%S+) (%S+)$")
    carts[#carts + 1] = { id = id, token = token }
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

request = function()
  local c = math.random(#carts)
  local cart = carts[c]
  local variant = variants[((c + math.random(LINES)) % #variants) + 1]
  local body = '{"variantId":"' .. variant .. '","quantity":1}'
  local headers = { ["Content-Type"] = "application/json", ["X-Cart-Token"] = cart.token }
  return wrk.format("POST", "/api/v1/carts/" .. cart.id .. "/items", headers, body)
end
