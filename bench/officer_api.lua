-- wrk script: officers and exporters working through the JSON API at once. Nine requests in
-- ten read (the open cases, a search, a case with its checks and history); one in ten files a
-- new application, a write with screening and risk checks. Arguments (after --): the
-- officer's token, the exporter's token, then case references to open.
local officer, exporter
local cases = {}
local application = '{"licence_type":"individual","title":"Network probe",' ..
  '"end_use":"Network management","end_user_type":"telecom_operator",' ..
  '"items":[{"name":"Probe","quantity":1,"value":"1000.00","facts":{"kind":"hardware"}}],' ..
  '"parties":[{"role":"end_user","name":"Fjordnett Telecom AS","country":"NO"}]}'

init = function(args)
  officer = args[1]
  exporter = args[2]
  for i = 3, #args do table.insert(cases, args[i]) end
end

local counter = 0
request = function()
  counter = counter + 1
  local k = counter % 10
  if k == 0 then
    return wrk.format("POST", "/api/v1/cases",
      {["Authorization"] = "Bearer " .. exporter, ["Content-Type"] = "application/json"},
      application)
  end
  local headers = {["Authorization"] = "Bearer " .. officer}
  if k <= 2 then return wrk.format("GET", "/api/v1/cases?state=open", headers) end
  if k == 3 then return wrk.format("GET", "/api/v1/cases?q=net", headers) end
  return wrk.format("GET", "/api/v1/cases/" .. cases[(counter * 7) % #cases + 1], headers)
end

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
