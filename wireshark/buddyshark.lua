-- buddyshark.lua: Wireshark dissectors for the MnemOS WiFi Buddy link, as buddyshark writes it to
-- pcapng (docs/pcapng.md). Install with `buddyshark wireshark install`, or per run with
-- `tshark -X lua_script:wireshark/buddyshark.lua -r capture.pcapng`.
--
--   buddylink   the link frames on the buddy-link interface (exported PDUs naming "buddylink"):
--               header tree, CRC checks, CBOR control/trace payloads handed to Wireshark's own
--               CBOR dissector, message names in the Info column
--   buddyevent  buddyshark's anomaly records (exported PDUs naming "buddyevent")
--   buddyspi    raw SPI transactions and line events on the buddy-spi interface (USER0)
--
-- Display filter fields: buddy.channel, buddy.flags (.more .pending .ack_valid .cont), buddy.seq,
-- buddy.ack, buddy.len, buddy.credit, buddy.epoch, buddy.hcrc_ok, buddy.crc_ok, buddy.msg,
-- buddy.msg_code, buddy.req_id, buddy.trace, buddy.anomaly, buddy.detail, buddy.spi.*.
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

function link.dissector(tvb, pinfo, tree)
  pinfo.cols.protocol = "BUDDY"
  local root = tree:add(link, tvb(), "WiFi Buddy link frame")
  if tvb:len() < HEADER or tvb(0, 1):uint() ~= SYNC then
    root:add_proto_expert_info(e_short)
    pinfo.cols.info = dir_text(pinfo) .. "not a buddy frame"
    return
  end
  local channel = tvb(2, 1):uint()
  local length = tvb(8, 2):le_uint()
  local flags = tvb(3, 1):uint()
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

  local seq = tvb(4, 2):le_uint()
  local info
  if channel == 0 and length == 0 then
    root:add(lf.idle, tvb(0, HEADER), true)
    info = string.format("idle seq=%d credit=%d", seq, tvb(10, 1):uint())
    root:append_text(": idle")
  elseif tvb:len() < HEADER + length + 4 then
    root:add_proto_expert_info(e_short)
    info = "truncated frame"
  else
    local payload = tvb(HEADER, length)
    local crc = tvb(HEADER + length, 4):le_uint()
    root:add(lf.payload, payload)
    root:add_le(lf.crc, tvb(HEADER + length, 4))
    local ok = crc32c(tvb, 0, HEADER + length) == crc
    local ci = root:add(lf.crc_ok, tvb(HEADER + length, 4), ok)
    if not ok then ci:add_proto_expert_info(e_crc) end
    local fragment = bit32.band(flags, 0x09) ~= 0
    local first = bit32.band(flags, 0x08) == 0
    if fragment then
      info = string.format("%s fragment (seq %d, %d bytes)", CHANNELS[channel] or "channel", seq, length)
      -- The first fragment still names the message it starts.
      if first and channel == 1 then info = control_payload(payload:tvb(), pinfo, root, root) .. " (first fragment)" end
    elseif channel == 1 then
      info = control_payload(payload:tvb(), pinfo, root, root)
    elseif channel == 3 then
      info = trace_payload(payload:tvb(), pinfo, root, root)
    elseif channel == 2 and eth then
      eth:call(payload:tvb(), pinfo, tree)
      info = nil
    else
      if CHANNELS[channel] == nil then root:add_proto_expert_info(e_unknown) end
      info = string.format("%s %d bytes", CHANNELS[channel] or ("reserved channel " .. channel), length)
    end
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
