-- wrk script: every request places a distinct order (its own Idempotency-Key)
-- of one item of the bench's product, with a real stock decrement.
local counter = 0
local thread_id = 0
local created = 0

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  product = tonumber(args[1])
  math.randomseed(os.time() + id * 7919)
end

request = function()
  counter = counter + 1
  local key = string.format("%08x-%04x-4%03x-8%03x-%012x", math.random(0, 0x7fffffff), id, counter % 4096, math.random(0, 4095), counter)
  -- A phone number per order: orders paid on delivery are limited per number.
  local phone = string.format("139%08d", (id * 10000000 + counter) % 100000000)
  local body = '{"customer":{"name":"Bench","phone":"' .. phone .. '","address":"Road 1","zone":"beijing"},' ..
    '"lines":[{"product_id":' .. product .. ',"quantity":1}],"payment":"on_delivery"}'
  return wrk.format("POST", "/api/orders", {["Content-Type"] = "application/json", ["Idempotency-Key"] = key, ["Sec-Fetch-Site"] = "same-origin"}, body)
end

response = function(status, headers, body)
  if status == 201 then created = created + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH orders_requests=%d errors=%d\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
