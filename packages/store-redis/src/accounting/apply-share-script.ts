/**
 * Lua: applies one share of the stream to the accounting, atomically and at
 * most once per share id. Internal to {@link ShareAccountant}.
 *
 * KEYS: 1 stream, 2 applied, 3 pool, 4 workers, 5 workerAccepted,
 * 6 workerDifficulty, 7 workerRejected, 8 reasons, 9 round, 10 window,
 * 11 workerBucket, 12 poolBucket, 13 blocks, 14 blockList, 15 blockRound,
 * 16 blockWindow (see AccountingKeys).
 *
 * ARGV: 1 stream entry id, 2 group, 3 share id, 4 worker ('' for none),
 * 5 verdict ('accepted' or a reject reason), 6 credited difficulty (decimal),
 * 7 share time (ms), 8 when the share's hashrate bucket expires (ms since
 * epoch), 9 dedupe window (ms), 10 maxWorkers, 11 PPLNS N (0: no window kept),
 * 12 maxWindowShares, 13 '1' when the share is a block, 14 height, 15 block
 * hash, 16 reward (smallest units), 17 maxBlocks, 18 scheme kind.
 *
 * Returns 1 when applied, 0 when the share id was already applied (or the
 * block already recorded). The entry is XACKed in the same script unless it
 * is a block: a block is acked once its split is stored (finish script), so
 * a crash in between leaves it pending and a restart completes it.
 *
 * Why one script: the counters, the round, the window and the ack change
 * together or not at all, so a restart can never count an entry twice.
 */
export const APPLY_SHARE_SCRIPT = `
local stream, applied, pool, workers, wAccepted, wDifficulty, wRejected, reasons, round, window, hrWorker, hrPool, blocks, blockList, blockRound, blockWindow = unpack(KEYS)
local entryId, group, shareId, worker, verdict, difficulty, time = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local bucketExpireAt = tonumber(ARGV[8])
local dedupeMs = tonumber(ARGV[9])
local maxWorkers = tonumber(ARGV[10])
local windowN = tonumber(ARGV[11])
local maxWindowShares = tonumber(ARGV[12])
local isBlock = ARGV[13] == '1'

local clock = redis.call('TIME')
local nowMs = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

if redis.call('ZSCORE', applied, shareId) or (isBlock and redis.call('HEXISTS', blocks, shareId) == 1) then
  if not isBlock then redis.call('XACK', stream, group, entryId) end
  return 0
end
redis.call('ZADD', applied, nowMs, shareId)
redis.call('ZREMRANGEBYSCORE', applied, '-inf', '(' .. tostring(nowMs - dedupeMs))

local t = tonumber(time)
local last = redis.call('HGET', pool, 'lastShare')
if not last or tonumber(last) < t then redis.call('HSET', pool, 'lastShare', time) end
if worker ~= '' then redis.call('ZADD', workers, 'GT', time, worker) end

local d = tonumber(difficulty)
if verdict == 'accepted' then
  redis.call('HINCRBY', pool, 'accepted', 1)
  redis.call('HINCRBYFLOAT', pool, 'difficulty', difficulty)
  if worker ~= '' then
    redis.call('HINCRBY', wAccepted, worker, 1)
    redis.call('HINCRBYFLOAT', wDifficulty, worker, difficulty)
  end
  if d > 0 then
    -- a share older than the window would only write a key that expires at once
    if bucketExpireAt > nowMs then
      if worker ~= '' then
        redis.call('HINCRBYFLOAT', hrWorker, worker, difficulty)
        redis.call('PEXPIREAT', hrWorker, ARGV[8])
      end
      redis.call('INCRBYFLOAT', hrPool, difficulty)
      redis.call('PEXPIREAT', hrPool, ARGV[8])
    end
    if worker ~= '' then
      redis.call('HINCRBYFLOAT', round, worker, difficulty)
      redis.call('HINCRBYFLOAT', pool, 'roundDifficulty', difficulty)
      redis.call('HSETNX', pool, 'roundStart', time)
      if windowN > 0 then
        redis.call('LPUSH', window, difficulty .. '\\n' .. worker)
        local sum = tonumber(redis.call('HINCRBYFLOAT', pool, 'windowDifficulty', difficulty))
        -- keep just enough shares to cover N (the oldest may be needed only in part);
        -- the margin keeps float drift of the running sum from dropping a needed share
        while true do
          local len = redis.call('LLEN', window)
          if len <= 1 then break end
          local tail = redis.call('LINDEX', window, -1)
          local tailText = string.match(tail, '^[^\\n]*')
          local tailD = tonumber(tailText)
          if len > maxWindowShares or sum - tailD >= windowN * (1 + 1e-9) then
            redis.call('RPOP', window)
            sum = tonumber(redis.call('HINCRBYFLOAT', pool, 'windowDifficulty', '-' .. tailText))
          else
            break
          end
        end
      end
    end
  end
else
  redis.call('HINCRBY', pool, 'rejected', 1)
  redis.call('HINCRBY', pool, 'rejected:' .. verdict, 1)
  redis.call('SADD', reasons, verdict)
  if worker ~= '' then redis.call('HINCRBY', wRejected, verdict .. '\\n' .. worker, 1) end
end

if isBlock then
  local number = redis.call('HINCRBY', pool, 'blocks', 1)
  if redis.call('EXISTS', round) == 1 then redis.call('RENAME', round, blockRound) end
  if windowN > 0 and redis.call('EXISTS', window) == 1 then redis.call('COPY', window, blockWindow, 'REPLACE') end
  local record = cjson.encode({
    shareId = shareId, height = ARGV[14], hash = ARGV[15], finder = worker, time = time,
    reward = ARGV[16], scheme = ARGV[18], windowDifficulty = ARGV[11], roundNumber = tostring(number),
    roundDifficulty = redis.call('HGET', pool, 'roundDifficulty') or '0',
    roundStartedAt = redis.call('HGET', pool, 'roundStart') or time, status = 'pending'
  })
  redis.call('HSET', blocks, shareId, record)
  redis.call('LPUSH', blockList, shareId)
  local maxBlocks = tonumber(ARGV[17])
  while redis.call('LLEN', blockList) > maxBlocks do
    redis.call('HDEL', blocks, redis.call('RPOP', blockList))
  end
  redis.call('HSET', pool, 'roundDifficulty', '0', 'roundStart', time)
end

-- last, so that a worker dropped here takes its counters with it
if worker ~= '' then
  local excess = redis.call('ZCARD', workers) - maxWorkers
  if excess > 0 then
    local popped = redis.call('ZPOPMIN', workers, excess)
    local known = redis.call('SMEMBERS', reasons)
    for i = 1, #popped, 2 do
      local name = popped[i]
      redis.call('HDEL', wAccepted, name)
      redis.call('HDEL', wDifficulty, name)
      for _, reason in ipairs(known) do redis.call('HDEL', wRejected, reason .. '\\n' .. name) end
    end
  end
end

if not isBlock then redis.call('XACK', stream, group, entryId) end
return 1
`;
