package ratebudget

import "github.com/redis/go-redis/v9"

// takeScript takes one token from the bucket in KEYS[1] if it holds one.
//
//	ARGV[1]  rate: tokens added per second (> 0)
//	ARGV[2]  burst: capacity of the bucket (>= 1)
//	ARGV[3]  ttl in ms: the key expires once a full refill has passed, since
//	         a missing key reads as a full bucket
//
// It returns {granted (0|1), wait in microseconds until a token is due}.
// The time is Redis's own (TIME); if it ever goes backwards (a failover to
// a replica with a slower clock) the bucket simply refills later.
var takeScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(v[1])
local ts = tonumber(v[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000000)
  ts = now
end
local granted = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  granted = 1
else
  wait = math.ceil((1 - tokens) * 1000000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {granted, wait}
`)
