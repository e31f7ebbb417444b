/**
 * Lua run atomically in Redis. Time is Redis's own (TIME), so the clocks of the machines sharing a
 * budget never matter.
 */

/**
 * GCRA reservation. KEYS[1]: the theoretical arrival time (µs) of the next request. ARGV: interval
 * (µs), burst. Returns { wait in µs, the TAT this caller stored } and books the caller's turn.
 */
export const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local booked = tat + interval
local wait = booked - burst * interval - now
if wait < 0 then wait = 0 end
redis.call('SET', KEYS[1], string.format('%.0f', booked), 'PX', math.ceil((booked - now) / 1000) + 1000)
return { math.floor(wait), string.format('%.0f', booked) }
`;

/** Gives an aborted caller's turn back, only when it is still the last one booked. ARGV: its TAT, interval. */
export const CANCEL_RESERVATION = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  local back = tonumber(ARGV[1]) - tonumber(ARGV[2])
  redis.call('SET', KEYS[1], string.format('%.0f', back), 'KEEPTTL')
  return 1
end
return 0
`;

/** A slot among ARGV[2] leased for ARGV[3] ms to holder ARGV[1]; expired leases are reclaimed. Returns 1 or 0. */
export const SEMAPHORE_ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  return 1
end
return 0
`;

/** Deletes the lock only if this holder still owns it. */
export const COMPARE_AND_DELETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Deletes the stored credential only if it is still the rejected token (not a replacement). */
export const DROP_IF_VALUE = `
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw).value == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
