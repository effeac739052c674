-- wrk script: the public search pages a crowd of readers asks for, at random: every filter
-- alone, common combinations, and the first pages of results.
local destinations = {"US", "CN", "IN", "AE", "SA", "RU", "EG", "MX", "TR", "IL", "BR", "PK", "KR", "HK", "ZA", "NG"}
local controls = {"5A002", "5D002", "5A001", "ML10", "ML1", "6A003", "4A003", "5E002"}
local decisions = {"granted", "refused"}
local categories = {"dual_use_5", "military", "dual_use_6", "national"}
paths = {"/register"}
for _, d in ipairs(destinations) do
  table.insert(paths, "/register?destination=" .. d)
  table.insert(paths, "/register?destination=" .. d .. "&page=2")
  table.insert(paths, "/register?destination=" .. d .. "&decision=refused")
  table.insert(paths, "/register?destination=" .. d .. "&control=5A002")
end
for _, c in ipairs(controls) do
  table.insert(paths, "/register?control=" .. c)
  table.insert(paths, "/register?control=" .. c .. "&page=3")
end
for year = 2008, 2015 do
  table.insert(paths, "/register?year=" .. year)
  table.insert(paths, "/register?year=" .. year .. "&decision=refused")
end
for _, d in ipairs(decisions) do table.insert(paths, "/register?decision=" .. d) end
for _, c in ipairs(categories) do table.insert(paths, "/register?category=" .. c) end
table.insert(paths, "/register?exporter=acme")
table.insert(paths, "/register?authority=GB&year=2014")

local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter * 7919) % #paths + 1])
end

local errors = 0
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
