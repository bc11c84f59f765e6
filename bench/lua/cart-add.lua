-- Adds one unit to a random guest cart per request, for `bun run bench` (wrk -s cart-add.lua -- data.lua).
-- data.lua (written by bench/cart-targets.ts) returns
--   { carts = { "<cart id> <token>", ... }, variants = { "<variant id>", ... } }
-- Every (cart, variant) pair takes up to 99 adds before its line is full, far more than a run sends.
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
  local cart = carts[math.random(#carts)]
  local body = '{"variantId":"' .. variants[math.random(#variants)] .. '","quantity":1}'
  local headers = { ["Content-Type"] = "application/json", ["X-Cart-Token"] = cart.token }
  return wrk.format("POST", "/api/v1/carts/" .. cart.id .. "/items", headers, body)
end
