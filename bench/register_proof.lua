-- wrk script: inclusion proofs for entries all over a register of SIZE entries (env, default
-- 1,000,000), against the full tree.
local size = tonumber(os.getenv("SIZE") or "1000000")
local counter = 0
request = function()
  counter = counter + 1
  local index = (counter * 104729) % size
  return wrk.format("GET", "/register/proof/inclusion?index=" .. index .. "&tree_size=" .. size)
end
