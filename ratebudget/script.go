package ratebudget

import "github.com/redis/go-redis/v9"

// Every script works on one Redis hash per key (KEYS[1]), so a key never
// spans two cluster slots. Its fields:
//
//	tokens  tokens in the bucket at ts
//	ts      µs (Redis clock) the bucket and the rate were brought up to
//	rate    the key's adaptive rate in requests/s (missing: the ceiling)
//	cut     µs of the last rate decrease
//	pause   µs until which nothing is granted (a 429's Retry-After)
//
// and their common arguments:
//
//	ARGV[1]  ceiling: the configured rate, tokens per second (> 0)
//	ARGV[2]  burst: capacity of the bucket (>= 1)
//	ARGV[3]  ttl in ms: the key expires once a full refill and a full
//	         recovery of the rate have passed, since a missing key reads as
//	         a full bucket at the ceiling
//	ARGV[4]  recovery: additive increase of the rate, requests/s per second
//	ARGV[5]  floor: the lowest rate
//
// The time is Redis's own (TIME), so the replicas' clocks do not matter;
// if it ever goes backwards (a failover to a replica with a slower clock)
// the bucket simply refills later.
const prelude = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local ceiling = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local recovery = tonumber(ARGV[4])
local floor = tonumber(ARGV[5])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'rate', 'cut', 'pause')
local tokens = tonumber(v[1])
local ts = tonumber(v[2])
local rate = tonumber(v[3]) or ceiling
local cut = tonumber(v[4]) or 0
local pause = tonumber(v[5]) or 0
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
if now > ts then
  local grown = math.min(ceiling, rate + (now - ts) * recovery / 1000000)
  tokens = math.min(burst, tokens + (now - ts) * (rate + grown) / 2 / 1000000)
  rate = grown
  ts = now
end
local function save()
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts),
    'rate', tostring(rate), 'cut', tostring(cut), 'pause', tostring(pause))
  local keep = ttl
  if pause > now then
    keep = keep + math.ceil((pause - now) / 1000)
  end
  redis.call('PEXPIRE', KEYS[1], keep)
end
`

// takeScript takes one token from the bucket if it holds one and the key
// is not paused. It returns {granted (0|1), wait in µs until a token is
// due or the pause ends, the rate in milli-requests/s}.
var takeScript = redis.NewScript(prelude + `
if pause > now then
  return {0, pause - now, math.floor(rate * 1000)}
end
local granted = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  granted = 1
else
  wait = math.ceil((1 - tokens) * 1000000 / rate)
end
save()
return {granted, wait, math.floor(rate * 1000)}
`)

// throttleScript applies a throttling signal:
//
//	ARGV[6]  factor: multiply the rate by it (0 < factor < 1; 0 for none),
//	         unless the last cut was less than ARGV[8] µs ago
//	ARGV[7]  pause in µs (0 for none): grant nothing before now + pause,
//	         and let no tokens accrue meanwhile
//	ARGV[8]  the shortest time between two cuts, µs
//
// It returns the rate after it, in milli-requests/s.
var throttleScript = redis.NewScript(prelude + `
local factor = tonumber(ARGV[6])
local pauseFor = tonumber(ARGV[7])
local interval = tonumber(ARGV[8])
if factor > 0 and now - cut >= interval then
  rate = math.max(floor, rate * factor)
  cut = now
end
if pauseFor > 0 and now + pauseFor > pause then
  pause = now + pauseFor
  tokens = 0
  ts = pause
end
save()
return math.floor(rate * 1000)
`)
