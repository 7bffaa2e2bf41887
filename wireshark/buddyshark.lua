-- buddyshark.lua: Wireshark dissectors for the MnemOS WiFi Buddy link, as buddyshark writes it to
-- pcapng (docs/pcapng.md). Install with `buddyshark wireshark install`, or per run with
-- `tshark -X lua_script:wireshark/buddyshark.lua -r capture.pcapng`.
--
--   buddylink   the link frames on the buddy-link interface (exported PDUs naming "buddylink"):
--               header tree, CRC checks, CBOR control/trace payloads handed to Wireshark's own
--               CBOR dissector, message names in the Info column; fragmented messages
--               reassembled, and dissected on the packet that completes them
--   buddyevent  buddyshark's anomaly records (exported PDUs naming "buddyevent")
--   buddyspi    raw SPI transactions and line events on the buddy-spi interface (USER0)
--   buddytrack  a postdissector that only notes, for reassembly, the frames written to buddy-eth
--               and buddy-ble
--
-- Display filter fields: buddy.channel, buddy.flags (.more .pending .ack_valid .cont), buddy.seq,
-- buddy.ack, buddy.len, buddy.credit, buddy.epoch, buddy.hcrc_ok, buddy.crc_ok, buddy.msg,
-- buddy.msg_code, buddy.req_id, buddy.trace, buddy.anomaly, buddy.detail, buddy.spi.*;
-- reassembly: buddy.fragment.index (on every fragment), buddy.reassembled_in, buddy.fragment.count,
-- buddy.reassembled.length, buddy.fragment (the fragments' frames, on the completing packet),
-- buddy.fragment.abandoned and buddy.abandoned_in (why and where a message was given up),
-- buddy.abandons (on the packet that ended a message, the message's first frame).
--
-- The code tables below mirror src/protocol (a test checks they agree).

local CHANNELS = { [0] = "link", [1] = "control", [2] = "ethernet", [3] = "trace", [4] = "ble-hci" }

local CONTROL = {
  [0x01] = "hello", [0x02] = "scan", [0x03] = "connect", [0x04] = "disconnect", [0x05] = "get_status",
  [0x06] = "set_trace_level", [0x07] = "reset", [0x08] = "echo",
  [0x40] = "ok", [0x41] = "scan_result", [0x42] = "connected", [0x43] = "status", [0x44] = "echo_reply",
  [0x4f] = "error",
  [0x50] = "boot", [0x51] = "link_up", [0x52] = "link_down", [0x53] = "heartbeat",
}

local TRACE = {
  [0] = "heartbeat", [1] = "register_meta", [2] = "event", [3] = "new_span", [4] = "enter", [5] = "exit",
  [6] = "clone_span", [7] = "drop_span", [8] = "discarded",
}

local LINES = { [0] = "READY", [1] = "IRQ", [2] = "RESET", [3] = "CS" }
local SYNC = 0xb5
local HEADER = 16

---------------------------------------------------------------------------------------------------
-- CRC-32C (Castagnoli), table driven: the link's header and trailer checks.
local crc_table = {}
for i = 0, 255 do
  local c = i
  for _ = 1, 8 do
    if bit32.band(c, 1) == 1 then c = bit32.bxor(bit32.rshift(c, 1), 0x82F63B78) else c = bit32.rshift(c, 1) end
  end
  crc_table[i] = c
end

local function crc32c(tvb, offset, length)
  local c = 0xFFFFFFFF
  local bytes = tvb:bytes(offset, length)
  for i = 0, length - 1 do
    c = bit32.bxor(crc_table[bit32.band(bit32.bxor(c, bytes:get_index(i)), 0xff)], bit32.rshift(c, 8))
  end
  return bit32.bxor(c, 0xFFFFFFFF)
end

-- Reads a CBOR unsigned integer (major type 0) at offset; returns value, next offset (or nil).
local function cbor_uint(tvb, offset)
  if offset >= tvb:len() then return nil end
  local ib = tvb(offset, 1):uint()
  if bit32.rshift(ib, 5) ~= 0 then return nil end
  local ai = bit32.band(ib, 0x1f)
  if ai < 24 then return ai, offset + 1 end
  local n = ({ [24] = 1, [25] = 2, [26] = 4 })[ai]
  if n == nil or offset + 1 + n > tvb:len() then return nil end
  return tvb(offset + 1, n):uint(), offset + 1 + n
end

local cbor = Dissector.get("cbor")
local eth = Dissector.get("eth_withoutfcs")
local hci_h4 = Dissector.get("hci_h4")

---------------------------------------------------------------------------------------------------
-- buddylink: one link frame as it was on the wire.
local link = Proto("buddylink", "WiFi Buddy link frame")
local lf = {
  sync = ProtoField.uint8("buddy.sync", "Sync", base.HEX),
  version = ProtoField.uint8("buddy.version", "Version"),
  channel = ProtoField.uint8("buddy.channel", "Channel", base.DEC, CHANNELS),
  flags = ProtoField.uint8("buddy.flags", "Flags", base.HEX),
  more = ProtoField.bool("buddy.flags.more", "More fragments", 8, nil, 0x01),
  pending = ProtoField.bool("buddy.flags.pending", "Pending", 8, nil, 0x02),
  ack_valid = ProtoField.bool("buddy.flags.ack_valid", "Ack valid", 8, nil, 0x04),
  cont = ProtoField.bool("buddy.flags.cont", "Continuation", 8, nil, 0x08),
  seq = ProtoField.uint16("buddy.seq", "Sequence"),
  ack = ProtoField.uint16("buddy.ack", "Ack"),
  len = ProtoField.uint16("buddy.len", "Payload length"),
  credit = ProtoField.uint8("buddy.credit", "Credit"),
  epoch = ProtoField.uint8("buddy.epoch", "Boot epoch"),
  hcrc = ProtoField.uint32("buddy.hcrc", "Header CRC-32C", base.HEX),
  hcrc_ok = ProtoField.bool("buddy.hcrc_ok", "Header CRC good"),
  payload = ProtoField.bytes("buddy.payload", "Payload"),
  crc = ProtoField.uint32("buddy.crc", "Frame CRC-32C", base.HEX),
  crc_ok = ProtoField.bool("buddy.crc_ok", "Frame CRC good"),
  msg = ProtoField.string("buddy.msg", "Message"),
  msg_code = ProtoField.uint8("buddy.msg_code", "Message type code", base.HEX),
  req_id = ProtoField.uint32("buddy.req_id", "Request id"),
  trace = ProtoField.string("buddy.trace", "Trace event"),
  idle = ProtoField.bool("buddy.idle", "Idle frame"),
  -- Reassembly (generated fields).
  frag_index = ProtoField.uint16("buddy.fragment.index", "Fragment number"),
  frag_count = ProtoField.uint16("buddy.fragment.count", "Reassembled from fragments"),
  reassembled_len = ProtoField.uint32("buddy.reassembled.length", "Reassembled message length"),
  fragment = ProtoField.framenum("buddy.fragment", "Fragment", base.NONE, frametype.NONE),
  reassembled_in = ProtoField.framenum("buddy.reassembled_in", "Reassembled in", base.NONE, frametype.NONE),
  frag_abandoned = ProtoField.string("buddy.fragment.abandoned", "Not reassembled"),
  abandoned_in = ProtoField.framenum("buddy.abandoned_in", "Message abandoned in", base.NONE, frametype.NONE),
  abandons = ProtoField.framenum("buddy.abandons", "Abandons the message begun in", base.NONE, frametype.NONE),
}
link.fields = lf
local e_hcrc = ProtoExpert.new("buddy.hcrc_bad", "Header CRC mismatch", expert.group.CHECKSUM, expert.severity.ERROR)
local e_crc = ProtoExpert.new("buddy.crc_bad", "Frame CRC mismatch", expert.group.CHECKSUM, expert.severity.ERROR)
local e_short = ProtoExpert.new("buddy.short", "Frame shorter than its header says", expert.group.MALFORMED, expert.severity.ERROR)
local e_unknown = ProtoExpert.new("buddy.unknown", "Unknown message type or channel", expert.group.UNDECODED, expert.severity.WARN)
link.experts = { e_hcrc, e_crc, e_short, e_unknown }

local function dir_text(pinfo)
  if pinfo.p2p_dir == 0 then return "CPU→buddy " elseif pinfo.p2p_dir == 1 then return "buddy→CPU " end
  return ""
end

local function control_payload(tvb, pinfo, tree, root)
  -- [type, id, body]: a 3-element array (0x83), then two unsigned integers.
  local name = "control"
  if tvb:len() >= 1 and tvb(0, 1):uint() == 0x83 then
    local code, at = cbor_uint(tvb, 1)
    local id = nil
    if code ~= nil then id, at = cbor_uint(tvb, at) end
    if code ~= nil then
      name = CONTROL[code] or string.format("unknown 0x%02x", code)
      tree:add(lf.msg_code, tvb(1, 1), code)
      local m = tree:add(lf.msg, tvb(), name)
      if CONTROL[code] == nil then m:add_proto_expert_info(e_unknown) end
      if id ~= nil then tree:add(lf.req_id, tvb(), id) end
      if id ~= nil and id ~= 0 then name = name .. " #" .. id end
    end
  end
  root:append_text(": " .. name)
  if cbor then cbor:call(tvb, pinfo, tree) end
  return name
end

local function trace_payload(tvb, pinfo, tree, root)
  local name = "trace"
  if tvb:len() >= 2 and tvb(0, 1):uint() == 0x82 then
    local variant = cbor_uint(tvb, 1)
    if variant ~= nil then
      name = "trace " .. (TRACE[variant] or ("variant " .. variant))
      local t = tree:add(lf.trace, tvb(1, 1), TRACE[variant] or tostring(variant))
      if TRACE[variant] == nil then t:add_proto_expert_info(e_unknown) end
    end
  end
  root:append_text(": " .. name)
  if cbor then cbor:call(tvb, pinfo, tree) end
  return name
end

---------------------------------------------------------------------------------------------------
-- Reassembly of fragmented messages, rule for rule as src/protocol/fragment.ts (Reassembler) and
-- src/link/decoder.ts apply them, so Wireshark agrees with `buddyshark decode` on every message:
-- per direction, consecutive seq, MORE on every fragment but the last, CONT on every one but the
-- first; a message is abandoned by a frame on another channel, a seq gap, a new message before its
-- end, more than MAX_MESSAGE bytes, a fragment whose payload was lost, a buddy reset, a change of
-- the CPU's epoch or a bridge restart; a CONT frame with no message open begins an orphan (its
-- first fragment was lost), swallowed with its remaining fragments.
--
-- The first pass (pinfo.visited false) applies each packet once, in file order, and records per
-- frame number what it was; every later dissection (tshark -2, a click in Wireshark, in any order)
-- only reads that record, so it cannot depend on which packets were dissected before it.
--
-- The decoder sees some frames that are not link packets here, and the file tells us about them
-- (docs/pcapng.md):
--   * whole Ethernet and HCI frames go to buddy-eth / buddy-ble, dissected natively: a
--     postdissector (buddytrack) sees them as directed packets none of our dissectors took; any such
--     frame ends the message open in its direction (it is not a CONT fragment of it, or it would
--     have completed a message and been written to buddy-link);
--   * a frame with an intact header and a lost payload leaves no frame record, only a payload-crc
--     or truncated anomaly (offset past the header);
--   * the buddy's epoch changes are the buddy-reset anomalies, written before the frames of their
--     transaction, so they also act before the CPU frame of the same transaction, as in the decoder;
--   * a CPU frame with a stale epoch, which the decoder keeps out of the stream, is announced by a
--     stale-epoch anomaly written immediately before its frame record (or, for a frame whose payload
--     was lost too, after that frame's payload anomaly of the same transaction: same startNs).

local MAX_MESSAGE = 16384
local MAX_PAYLOAD = 1536
local CPU, BUDDY = 0, 1 -- pinfo.p2p_dir: 0 sent by the CPU, 1 received by it

local function fresh_state()
  return {
    done = {},     -- [frame] = true once the first pass applied it
    role = {},     -- [frame] = { msg, index } for a fragment; { excluded = why } or { lost = true }
    ended = {},    -- [frame] = the messages this frame abandoned
    partial = {},  -- [dir] = the message being reassembled
    cpu_epoch = nil,
    buddy_epoch = nil,
    loss = nil,    -- a CPU frame's payload was lost: { start = startNs, at = frame } until it is known whether it was stale
    stale_at = nil, -- frame number of the last stale-epoch anomaly: the packet right after it is the stale CPU frame
    ours = nil,    -- the frame last handled by one of our dissectors (the postdissector skips it)
  }
end
local st = fresh_state()

local function first_visit(pinfo)
  if pinfo.visited or st.done[pinfo.number] then return false end
  st.done[pinfo.number] = true
  return true
end

local function abandon(d, reason, at, note)
  local m = st.partial[d]
  if m == nil then return end
  st.partial[d] = nil
  if m.oversized then reason = string.format("%s (and it already exceeded %d bytes)", reason, MAX_MESSAGE) end
  m.abandoned, m.abandoned_at, m.data = reason, at, nil
  if note then
    st.ended[at] = st.ended[at] or {}
    table.insert(st.ended[at], m)
  end
end

-- The CPU frame whose payload was lost was not stale: it abandons the CPU's open message.
local function settle_loss()
  if st.loss then
    abandon(CPU, "a fragment arrived corrupt", st.loss.at, false)
    st.loss = nil
  end
end

-- A name for a message from its first fragment (a Tvb, nil when empty): the CBOR head of a control
-- message or trace event.
local function message_label(channel, first, orphan)
  local chan = ({ [2] = "Ethernet frame", [4] = "HCI packet" })[channel] or ((CHANNELS[channel] or ("channel " .. channel)) .. " message")
  if orphan then return chan .. " (first fragment lost)" end
  if first == nil then return chan end
  if channel == 1 and first:len() >= 1 and first(0, 1):uint() == 0x83 then
    local code, at = cbor_uint(first, 1)
    if code ~= nil then
      local name = CONTROL[code] or string.format("unknown 0x%02x", code)
      local id = cbor_uint(first, at)
      if id ~= nil and id ~= 0 then name = name .. " #" .. id end
      return name
    end
  elseif channel == 3 and first:len() >= 2 and first(0, 1):uint() == 0x82 then
    local variant = cbor_uint(first, 1)
    if variant ~= nil then return "trace " .. (TRACE[variant] or ("variant " .. variant)) end
  end
  return chan
end

-- Reassembler.push for one non-idle frame whose payload is intact (payload: a TvbRange or nil if empty).
local function push(d, fn, channel, seq, flags, payload)
  local more = bit32.band(flags, 0x01) ~= 0
  local cont = bit32.band(flags, 0x08) ~= 0
  local len = payload and payload:len() or 0
  local m = st.partial[d]
  if m then
    if channel ~= m.channel then abandon(d, string.format("a frame on channel %d interrupted it", channel), fn, true)
    elseif seq ~= (m.last_seq + 1) % 0x10000 then abandon(d, string.format("seq %d follows %d", seq, m.last_seq), fn, true)
    elseif not cont then abandon(d, "a new message began before it ended", fn, true) end
  end
  m = st.partial[d]
  if m == nil then
    if not cont and not more then return end -- a message in one frame: nothing to remember
    m = { dir = d, channel = channel, frames = {}, bytes = 0, orphan = cont, oversized = false }
    m.label = message_label(channel, payload and payload:tvb(), cont)
    if not cont then m.data = ByteArray.new() end
    st.partial[d] = m
  end
  table.insert(m.frames, fn)
  m.bytes = m.bytes + len
  m.last_seq = seq
  if m.data and len > 0 then m.data:append(payload:bytes()) end
  if m.bytes > MAX_MESSAGE and not m.oversized then
    -- Not buffered further; the remaining fragments are counted until the last one.
    m.oversized, m.data = true, nil
  end
  st.role[fn] = { msg = m, index = #m.frames }
  if more then return end
  st.partial[d] = nil
  if m.orphan then
    m.abandoned = #m.frames == 1 and "continuation fragment without its start (first fragment lost)"
      or "continuation fragments without their start (first fragment lost)"
    m.abandoned_at = fn
  elseif m.oversized then
    m.abandoned, m.abandoned_at = string.format("message of %d bytes exceeds %d", m.bytes, MAX_MESSAGE), fn
  else
    m.complete_at = fn
  end
end

-- LinkDecoder.accept for a link packet whose header is intact; payload nil when it was lost.
local function track_frame(fn, d, h, payload)
  if d == CPU then
    if st.stale_at ~= nil and st.stale_at == fn - 1 then
      st.role[fn] = { excluded = string.format("its epoch %d is stale, so the buddy drops it", h.epoch) }
      return
    end
    settle_loss()
    if st.cpu_epoch ~= nil and h.epoch ~= st.cpu_epoch then
      abandon(CPU, string.format("the CPU's epoch changed from %d to %d", st.cpu_epoch, h.epoch), fn, true)
    end
    st.cpu_epoch = h.epoch
  else
    -- The buddy-reset anomaly before this transaction normally did this already (and cleared the
    -- epoch); this catches a reset in a file whose anomaly packets were left out.
    if st.buddy_epoch ~= nil and h.epoch ~= st.buddy_epoch then
      local why = string.format("buddy epoch %d -> %d: the buddy rebooted", st.buddy_epoch, h.epoch)
      abandon(CPU, why, fn, true)
      abandon(BUDDY, why, fn, true)
    end
    st.buddy_epoch = h.epoch
  end
  if payload == false then
    st.role[fn] = { lost = true }
    abandon(d, string.format("fragment seq %d arrived corrupt", h.seq), fn, true)
    return
  end
  if h.channel == 0 and h.length == 0 then return end -- idle: not part of any message
  push(d, fn, h.channel, h.seq, h.flags, payload)
end

-- An anomaly record that changes what the decoder did with the stream (see the list above).
local function track_event(fn, code, dir, offset, start)
  if code == "buddy-reset" then
    abandon(CPU, "the buddy rebooted", fn, false)
    abandon(BUDDY, "the buddy rebooted", fn, false)
    st.buddy_epoch = nil
  elseif code == "bridge-reset" then
    abandon(CPU, "the bridge restarted", fn, false)
    abandon(BUDDY, "the bridge restarted", fn, false)
    st.cpu_epoch, st.buddy_epoch, st.loss, st.stale_at = nil, nil, nil, nil
  elseif code == "stale-epoch" and dir == CPU then
    if st.loss and st.loss.start == start then
      st.loss = nil -- the frame that lost its payload was itself stale: no frame record follows
    else
      settle_loss()
      st.stale_at = fn
    end
  elseif (code == "payload-crc" or code == "truncated") and dir ~= nil and offset ~= nil and offset >= HEADER then
    if dir == BUDDY then
      abandon(BUDDY, "a fragment arrived corrupt", fn, false)
    else
      settle_loss()
      st.loss = { start = start, at = fn }
    end
  end
end

function link.init()
  st = fresh_state()
end

---------------------------------------------------------------------------------------------------
-- buddylink display.

local function fragment_tree(root, m, k, fn)
  local t = root:add(lf.frag_index, k)
  t:set_generated()
  if m.complete_at ~= nil and m.complete_at ~= fn then
    root:add(lf.reassembled_in, m.complete_at):set_generated()
  elseif m.abandoned ~= nil then
    root:add(lf.frag_abandoned, m.abandoned):set_generated()
    root:add(lf.abandoned_in, m.abandoned_at):set_generated()
  end
end

-- The Info text of a fragment: what the first pass knew when it reached this frame, plus how the
-- message ended once that is known (a later frame: only from the second pass on).
local function fragment_info(m, k, fn)
  local info = string.format("%s: fragment %d", m.label, k)
  if m.complete_at ~= nil then
    info = info .. string.format(" of %d (reassembled in #%d)", #m.frames, m.complete_at)
  elseif m.orphan and m.abandoned ~= nil then
    info = info .. string.format(" of %d seen, not reassembled", #m.frames)
  elseif m.abandoned ~= nil then
    if m.abandoned_at == fn then
      info = info .. string.format(" of an abandoned message (%s)", m.abandoned)
    else
      info = info .. string.format(" (message abandoned at #%d: %s)", m.abandoned_at, m.abandoned)
    end
  end
  return info
end

local function reassembled(m, pinfo, tree, root)
  local rt = root:add(lf.frag_count, #m.frames)
  rt:set_generated()
  rt:append_text(string.format(" (%d bytes)", m.bytes))
  rt:add(lf.reassembled_len, m.bytes):set_generated()
  for _, f in ipairs(m.frames) do rt:add(lf.fragment, f):set_generated() end
  local note = string.format(" (%d fragments)", #m.frames)
  if m.bytes == 0 then return string.format("%s empty message", CHANNELS[m.channel] or ("channel " .. m.channel)) .. note end
  local body = m.data:tvb("Reassembled message")
  local info
  if m.channel == 1 then
    info = control_payload(body, pinfo, root, root)
  elseif m.channel == 3 then
    info = trace_payload(body, pinfo, root, root)
  elseif m.channel == 2 and eth then
    eth:call(body, pinfo, tree)
  elseif m.channel == 4 and hci_h4 then
    hci_h4:call(body, pinfo, tree)
  else
    info = string.format("%s %d bytes", CHANNELS[m.channel] or ("reserved channel " .. m.channel), m.bytes)
  end
  if info then return info .. note end
  pinfo.cols.info:append(note)
  return nil
end

function link.dissector(tvb, pinfo, tree)
  st.ours = pinfo.number
  pinfo.cols.protocol = "BUDDY"
  local fn = pinfo.number
  local root = tree:add(link, tvb(), "WiFi Buddy link frame")
  if tvb:len() < HEADER or tvb(0, 1):uint() ~= SYNC then
    root:add_proto_expert_info(e_short)
    pinfo.cols.info = dir_text(pinfo) .. "not a buddy frame"
    return
  end
  local h = {
    version = tvb(1, 1):uint(), channel = tvb(2, 1):uint(), flags = tvb(3, 1):uint(), seq = tvb(4, 2):le_uint(),
    length = tvb(8, 2):le_uint(), epoch = tvb(11, 1):uint(),
  }
  root:add(lf.sync, tvb(0, 1))
  root:add(lf.version, tvb(1, 1))
  root:add(lf.channel, tvb(2, 1))
  local ft = root:add(lf.flags, tvb(3, 1))
  ft:add(lf.more, tvb(3, 1)); ft:add(lf.pending, tvb(3, 1)); ft:add(lf.ack_valid, tvb(3, 1)); ft:add(lf.cont, tvb(3, 1))
  root:add_le(lf.seq, tvb(4, 2))
  root:add_le(lf.ack, tvb(6, 2))
  root:add_le(lf.len, tvb(8, 2))
  root:add(lf.credit, tvb(10, 1))
  root:add(lf.epoch, tvb(11, 1))
  local hcrc = tvb(12, 4):le_uint()
  root:add_le(lf.hcrc, tvb(12, 4))
  local hok = crc32c(tvb, 0, 12) == hcrc
  local hi = root:add(lf.hcrc_ok, tvb(12, 4), hok)
  if not hok then hi:add_proto_expert_info(e_hcrc) end
  -- What decodeHeader accepts: only then do seq, flags and epoch count.
  local intact = hok and h.version == 1 and h.length <= MAX_PAYLOAD and bit32.band(h.flags, 0xf0) == 0

  local idle = h.channel == 0 and h.length == 0
  local size = HEADER + h.length + (h.length > 0 and 4 or 0)
  local payload = nil -- TvbRange, nil when empty, false when lost (cut short or bad CRC)
  local info
  if idle then
    root:add(lf.idle, tvb(0, HEADER), true)
    info = string.format("idle seq=%d credit=%d", h.seq, tvb(10, 1):uint())
    root:append_text(": idle")
  elseif tvb:len() < size then
    root:add_proto_expert_info(e_short)
    payload = false
  elseif h.length > 0 then
    payload = tvb(HEADER, h.length)
    local crc = tvb(HEADER + h.length, 4):le_uint()
    root:add(lf.payload, payload)
    root:add_le(lf.crc, tvb(HEADER + h.length, 4))
    local ok = crc32c(tvb, 0, HEADER + h.length) == crc
    local ci = root:add(lf.crc_ok, tvb(HEADER + h.length, 4), ok)
    if not ok then ci:add_proto_expert_info(e_crc); payload = false end
  end
  if intact and (pinfo.p2p_dir == CPU or pinfo.p2p_dir == BUDDY) and first_visit(pinfo) then
    track_frame(fn, pinfo.p2p_dir, h, payload)
  end

  if not idle then
    local role = st.role[fn]
    local chan = CHANNELS[h.channel] or ("channel " .. h.channel)
    local fragment = bit32.band(h.flags, 0x09) ~= 0
    if role and role.msg then
      local m = role.msg
      if m.complete_at == fn then
        fragment_tree(root, m, role.index, fn)
        info = reassembled(m, pinfo, tree, root)
      else
        -- A part of a message: never handed to a subdissector on its own.
        fragment_tree(root, m, role.index, fn)
        info = fragment_info(m, role.index, fn)
      end
    elseif payload == false then
      info = fragment and string.format("%s fragment seq %d lost (payload corrupt)", chan, h.seq)
        or (h.length > 0 and tvb:len() >= size and string.format("%s frame seq %d, payload corrupt", chan, h.seq) or "truncated frame")
    elseif fragment then
      local why = (role and role.excluded) or (not intact and "header not intact") or "no reassembly state"
      info = string.format("%s fragment seq %d, not reassembled: %s", chan, h.seq, why)
      root:add(lf.frag_abandoned, why):set_generated()
    elseif h.channel == 1 and payload then
      info = control_payload(payload:tvb(), pinfo, root, root)
    elseif h.channel == 3 and payload then
      info = trace_payload(payload:tvb(), pinfo, root, root)
    elseif h.channel == 2 and eth and payload then
      eth:call(payload:tvb(), pinfo, tree)
      info = nil
    else
      if CHANNELS[h.channel] == nil then root:add_proto_expert_info(e_unknown) end
      info = string.format("%s %d bytes", CHANNELS[h.channel] or ("reserved channel " .. h.channel), h.length)
    end
  end
  for _, m in ipairs(st.ended[fn] or {}) do
    local t = root:add(lf.abandons, m.frames[1])
    t:set_generated()
    t:append_text(string.format(" (%s: %s)", m.label, m.abandoned))
  end
  if info then pinfo.cols.info = dir_text(pinfo) .. info end
end

---------------------------------------------------------------------------------------------------
-- buddyevent: an anomaly buddyshark found (docs/pcapng.md, "buddy-events").
local event = Proto("buddyevent", "buddyshark anomaly")
local ef = {
  anomaly = ProtoField.string("buddy.anomaly", "Anomaly"),
  detail = ProtoField.string("buddy.detail", "Detail"),
  dir = ProtoField.uint8("buddy.anomaly.dir", "Direction", base.DEC, { [0] = "cpu-to-buddy", [1] = "buddy-to-cpu" }),
  offset = ProtoField.uint32("buddy.anomaly.offset", "Byte offset"),
  count = ProtoField.uint32("buddy.anomaly.count", "Count"),
}
event.fields = ef
local e_anomaly = ProtoExpert.new("buddy.anomaly.expert", "Link anomaly", expert.group.PROTOCOL, expert.severity.WARN)
event.experts = { e_anomaly }

function event.dissector(tvb, pinfo, tree)
  st.ours = pinfo.number
  pinfo.cols.protocol = "BUDDY"
  local root = tree:add(event, tvb(), "buddyshark anomaly")
  if tvb:len() < 28 then return end
  local bits = tvb(1, 1):uint()
  local clen = tvb(3, 1):uint()
  if tvb:len() < 28 + clen then return end
  local code = tvb(28, clen):string()
  local detail = tvb:len() > 28 + clen and tvb(28 + clen):string(ENC_UTF_8) or ""
  local a = root:add(ef.anomaly, tvb(28, clen))
  a:add_proto_expert_info(e_anomaly, code .. ": " .. detail)
  if tvb:len() > 28 + clen then root:add(ef.detail, tvb(28 + clen), detail) end
  if bit32.band(bits, 1) ~= 0 then root:add(ef.dir, tvb(2, 1)) end
  if bit32.band(bits, 2) ~= 0 then root:add_le(ef.offset, tvb(20, 4)) end
  if bit32.band(bits, 4) ~= 0 then root:add_le(ef.count, tvb(24, 4)) end
  root:append_text(": " .. code)
  pinfo.cols.info = "ANOMALY " .. code .. ": " .. detail
  if first_visit(pinfo) then
    local dir = bit32.band(bits, 1) ~= 0 and tvb(2, 1):uint() or nil -- 0 cpu-to-buddy, 1 buddy-to-cpu, as p2p_dir
    local offset = bit32.band(bits, 2) ~= 0 and tvb(20, 4):le_uint() or nil
    track_event(pinfo.number, code, dir, offset, tvb(4, 8):le_float())
  end
end

---------------------------------------------------------------------------------------------------
-- buddyspi: raw SPI transactions and side-band line events (USER0, docs/pcapng.md "buddy-spi").
local spi = Proto("buddyspi", "WiFi Buddy raw SPI")
local sf = {
  type = ProtoField.uint8("buddy.spi.type", "Record", base.DEC, { [1] = "transaction", [2] = "line" }),
  partial = ProtoField.uint8("buddy.spi.partial_bits", "Partial bits at CS release"),
  mosi_len = ProtoField.uint32("buddy.spi.mosi_len", "MOSI length"),
  miso_len = ProtoField.uint32("buddy.spi.miso_len", "MISO length"),
  mosi = ProtoField.bytes("buddy.spi.mosi", "MOSI"),
  miso = ProtoField.bytes("buddy.spi.miso", "MISO"),
  line = ProtoField.uint8("buddy.spi.line", "Line", base.DEC, LINES),
  level = ProtoField.uint8("buddy.spi.level", "Level"),
}
spi.fields = sf

function spi.dissector(tvb, pinfo, tree)
  st.ours = pinfo.number
  pinfo.cols.protocol = "BUDDY-SPI"
  local root = tree:add(spi, tvb(), "WiFi Buddy raw SPI")
  if tvb:len() < 20 then return end
  local kind = tvb(0, 1):uint()
  root:add(sf.type, tvb(0, 1))
  if kind == 2 then
    root:add(sf.line, tvb(2, 1))
    root:add(sf.level, tvb(3, 1))
    local level = tvb(3, 1):uint() == 1 and "high" or "low"
    pinfo.cols.info = string.format("%s %s", LINES[tvb(2, 1):uint()] or "line", level)
  elseif kind == 1 and tvb:len() >= 28 then
    local ml = tvb(20, 4):le_uint()
    local sl = tvb(24, 4):le_uint()
    if bit32.band(tvb(1, 1):uint(), 1) ~= 0 then root:add(sf.partial, tvb(2, 1)) end
    root:add_le(sf.mosi_len, tvb(20, 4))
    root:add_le(sf.miso_len, tvb(24, 4))
    if ml > 0 and tvb:len() >= 28 + ml then root:add(sf.mosi, tvb(28, ml)) end
    if sl > 0 and tvb:len() >= 28 + ml + sl then root:add(sf.miso, tvb(28 + ml, sl)) end
    pinfo.cols.info = string.format("SPI transaction, %d bytes each way", math.max(ml, sl))
  end
end

DissectorTable.get("wtap_encap"):add(wtap_encaps.USER0, spi)

---------------------------------------------------------------------------------------------------
-- buddytrack: a postdissector that only watches. A directed packet none of our dissectors took is a
-- whole Ethernet or HCI frame the link carried (buddy-eth / buddy-ble): for the decoder it was a
-- frame of that direction on its own channel, which ends the message open in that direction. It
-- adds nothing to the tree, so it does not show among a packet's protocols.
local watch = Proto("buddytrack", "WiFi Buddy reassembly tracking")

function watch.dissector(tvb, pinfo, tree)
  if st.ours == pinfo.number then return end
  local d = pinfo.p2p_dir
  if (d ~= CPU and d ~= BUDDY) or not first_visit(pinfo) then return end
  if d == CPU then
    if st.stale_at ~= nil and st.stale_at == pinfo.number - 1 then return end -- stale: not in the stream
    settle_loss()
  end
  abandon(d, "a frame on another channel interrupted it", pinfo.number, false)
end

register_postdissector(watch)
