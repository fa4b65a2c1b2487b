/**
 * The Lua scripts that keep each step of the queue atomic on the server.
 *
 * Keys, for a queue named N: `corun:{N}:stream` (the items: queued and in
 * flight; a done item is deleted), `corun:{N}:dead` (dead letters) and
 * `corun:{N}:meta` (a hash: `unfinished`, `redeliveries`, `shutdown`). The
 * consumer group is `corun`. The `{N}` hash tag keeps them in one slot.
 */

/** The consumer group every queue uses. */
export const GROUP = "corun";

/** Stream ids compare as two numbers. */
const ID_AFTER = `
local function after(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am > bm or (am == bm and as > bs)
end
local function lastDelivered(stream)
  for _, group in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    local fields = {}
    for i = 1, #group, 2 do fields[group[i]] = group[i + 1] end
    if fields['name'] == '${GROUP}' then return fields['last-delivered-id'] end
  end
  return '0-0'
end
`;

/** KEYS stream, meta; ARGV maxsize, payload. Returns the id, 0 (full) or -1 (shut down). */
export const PUT = `
if redis.call('HGET', KEYS[2], 'shutdown') then return -1 end
local maxsize = tonumber(ARGV[1])
if maxsize > 0 then
  local queued = redis.call('XLEN', KEYS[1]) - redis.call('XPENDING', KEYS[1], '${GROUP}')[1]
  if queued >= maxsize then return 0 end
end
local id = redis.call('XADD', KEYS[1], '*', 'v', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'unfinished', 1)
return id
`;

/** KEYS stream, meta; ARGV id. Removes an item put by a cancelled put() unless already taken. */
export const UNPUT: string = ID_AFTER + `
if not after(ARGV[1], lastDelivered(KEYS[1])) then return 0 end
if redis.call('XDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[2], 'unfinished', -1)
  return 1
end
return 0
`;

/**
 * KEYS stream, dead, meta; ARGV consumer, leaseMs, maxDeliveries.
 * An item whose lease ran out is claimed (or dead-lettered after
 * maxDeliveries), else a new one is read. Returns {id, payload, deliveries},
 * or {'', shutdown, unfinished} when there is none.
 */
export const TAKE = `
local stream, dead, meta = KEYS[1], KEYS[2], KEYS[3]
local me, lease, maxd = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
while true do
  local p = redis.call('XPENDING', stream, '${GROUP}', 'IDLE', lease, '-', '+', 1)
  if #p == 0 then break end
  local id, owner, count = p[1][1], p[1][2], tonumber(p[1][4])
  local entry = redis.call('XRANGE', stream, id, id)
  if #entry == 0 then
    redis.call('XACK', stream, '${GROUP}', id)
  elseif count >= maxd then
    redis.call('XADD', dead, '*', 'v', entry[1][2][2], 'id', id, 'deliveries', count,
      'consumer', owner)
    redis.call('XACK', stream, '${GROUP}', id)
    redis.call('XDEL', stream, id)
    redis.call('HINCRBY', meta, 'unfinished', -1)
  else
    redis.call('XCLAIM', stream, '${GROUP}', me, 0, id, 'RETRYCOUNT', count + 1, 'JUSTID')
    if count > 0 then redis.call('HINCRBY', meta, 'redeliveries', 1) end
    return {id, entry[1][2][2], count + 1}
  end
end
local read = redis.call('XREADGROUP', 'GROUP', '${GROUP}', me, 'COUNT', 1, 'STREAMS', stream, '>')
if read then
  local entry = read[1][2][1]
  return {entry[1], entry[2][2], 1}
end
return {'', redis.call('HGET', meta, 'shutdown') or '',
  tonumber(redis.call('HGET', meta, 'unfinished') or '0')}
`;

/** KEYS stream, meta; ARGV id. Returns 1 if this call finished the item. */
export const DONE = `
if redis.call('XACK', KEYS[1], '${GROUP}', ARGV[1]) == 0 then return 0 end
redis.call('XDEL', KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[2], 'unfinished', -1)
return 1
`;

/**
 * KEYS stream; ARGV consumer, id, deliveries, idleMs. Resets the lease of an
 * item this consumer holds (idleMs 0), or hands it back (idleMs past every
 * lease, deliveries one less). Returns 0 if the consumer no longer holds it.
 */
export const LEASE = `
local p = redis.call('XPENDING', KEYS[1], '${GROUP}', ARGV[2], ARGV[2], 1)
if #p == 0 or p[1][2] ~= ARGV[1] then return 0 end
redis.call('XCLAIM', KEYS[1], '${GROUP}', ARGV[1], 0, ARGV[2], 'IDLE', ARGV[4],
  'RETRYCOUNT', ARGV[3], 'JUSTID')
return 1
`;

/** KEYS stream, meta; ARGV immediate (1/0). Immediate drops the queued items. */
export const SHUTDOWN: string = ID_AFTER + `
if ARGV[1] ~= '1' then
  redis.call('HSETNX', KEYS[2], 'shutdown', '1')
  return 0
end
redis.call('HSET', KEYS[2], 'shutdown', '2')
local dropped = 0
for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '(' .. lastDelivered(KEYS[1]), '+')) do
  dropped = dropped + redis.call('XDEL', KEYS[1], entry[1])
end
if dropped > 0 then redis.call('HINCRBY', KEYS[2], 'unfinished', -dropped) end
return dropped
`;

/** KEYS stream, dead, meta. Returns {queued, {consumer, count}..., meta fields..., dead}. */
export const STATS = `
local pending = redis.call('XPENDING', KEYS[1], '${GROUP}')
local consumers = {}
if pending[4] then
  for _, row in ipairs(pending[4]) do
    consumers[#consumers + 1] = row[1]
    consumers[#consumers + 1] = row[2]
  end
end
return {redis.call('XLEN', KEYS[1]) - pending[1], consumers,
  redis.call('HGETALL', KEYS[3]), redis.call('XLEN', KEYS[2])}
`;
