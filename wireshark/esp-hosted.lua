-- esp-hosted.lua: a Wireshark dissector (4.0 API) for Espressif's esp-hosted SPI link (FG, NG, MCU)
-- as buddyshark writes it to pcapng: exported PDUs (LINKTYPE_WIRESHARK_UPPER_PDU) whose dissector
-- name TLV is "esp_hosted", carrying a 4-byte prefix and the frame (docs/esp-hosted.md, "pcapng"):
--   0 version (1) | 1 variant (0 fg, 1 ng, 2 mcu) | 2 kind (0 wire frame, 1 reassembled message)
--   3 bits 0-1 checksum state from the decoder (0 ok, 1 bad, 2 not used), bit 2 fragment of a message
--   kind 0: header + payload as on the wire; kind 1: if_type, byte 11, NG packet_type, fragments, message
-- Load with `tshark -X lua_script:wireshark/esp-hosted.lua -r capture.pcapng`, or copy it to the
-- personal plugins folder.
--
-- Display filter fields: esp_hosted.variant, .if_type, .if_num, .iface, .flags (.more .wakeup
-- .ps_started .ps_stopped), .packet_type, .len, .offset, .checksum, .checksum_ok, .checksum_state,
-- .seq, .throttle, .pkt_type, .reassembled, .fragments; esp_hosted.ctrl.endpoint, .msg, .msg_type,
-- .msg_id, .uid, .request_in, .response_in; esp_hosted.pb.<field> for every protobuf field (typed);
-- esp_hosted.ng.cmd, .ng.status, .ng.seq; esp_hosted.init.tag, .init.value.
--
-- The protobuf tables between the generated markers come from src/link/esp-hosted/proto/*.proto
-- through scripts/esp-hosted-proto.ts; a test fails when they are stale.

local VARIANTS = { [0] = "fg", [1] = "ng", [2] = "mcu" }
local TITLES = { fg = "ESP-Hosted-FG", ng = "ESP-Hosted-NG", mcu = "ESP-Hosted-MCU" }
local IFACES = {
  fg = { [0] = "sta", [1] = "ap", [2] = "serial", [3] = "hci", [4] = "priv", [5] = "test" },
  ng = { [0] = "sta", [1] = "ap", [2] = "hci", [3] = "internal", [4] = "test" },
  mcu = { [0] = "invalid", [1] = "sta", [2] = "ap", [3] = "serial", [4] = "hci", [5] = "priv", [6] = "test", [7] = "eth" },
}
local LAYOUT = {
  fg = { len = 2, offset = 4, checksum = 6, seq = 8 },
  ng = { packet_type = 2, len = 4, offset = 6, checksum = 8 },
  mcu = { len = 2, offset = 4, checksum = 6, seq = 8, throttle = 10 },
}
local RESPONSE_OFFSET = { fg = 100, mcu = 256 }
local NG_PACKET_TYPES = { [0] = "data", [1] = "command-request", [2] = "command-response", [3] = "event", [4] = "eapol" }
local NG_COMMANDS = {
  [1] = "CMD_INIT_INTERFACE", [2] = "CMD_SET_MAC", [3] = "CMD_GET_MAC", [4] = "CMD_SCAN_REQUEST", [5] = "CMD_STA_CONNECT",
  [6] = "CMD_DISCONNECT", [7] = "CMD_DEINIT_INTERFACE", [8] = "CMD_ADD_KEY", [9] = "CMD_DEL_KEY", [10] = "CMD_SET_DEFAULT_KEY",
  [11] = "CMD_STA_AUTH", [12] = "CMD_STA_ASSOC", [13] = "CMD_SET_IP_ADDR", [14] = "CMD_SET_MCAST_MAC_ADDR", [15] = "CMD_GET_TXPOWER",
  [16] = "CMD_SET_TXPOWER", [17] = "CMD_GET_REG_DOMAIN", [18] = "CMD_SET_REG_DOMAIN", [19] = "CMD_RAW_TP_ESP_TO_HOST",
  [20] = "CMD_RAW_TP_HOST_TO_ESP", [21] = "CMD_SET_WOW_CONFIG", [22] = "CMD_SET_MODE", [23] = "CMD_SET_IE", [24] = "CMD_AP_CONFIG",
  [25] = "CMD_MGMT_TX", [26] = "CMD_AP_STATION", [27] = "CMD_STA_RSSI", [28] = "CMD_SET_TIME", [29] = "CMD_START_OTA_UPDATE",
  [30] = "CMD_START_OTA_WRITE", [31] = "CMD_START_OTA_END",
}
local NG_EVENTS = {
  [1] = "EVENT_SCAN_RESULT", [2] = "EVENT_STA_CONNECT", [3] = "EVENT_STA_DISCONNECT", [4] = "EVENT_AUTH_RX", [5] = "EVENT_ASSOC_RX", [6] = "EVENT_AP_MGMT_RX",
}
local INIT_TAGS = {
  fg = { [0] = "ESP_PRIV_CAPABILITY", [1] = "ESP_PRIV_SPI_CLK_MHZ", [2] = "ESP_PRIV_FIRMWARE_CHIP_ID", [3] = "ESP_PRIV_TEST_RAW_TP", [4] = "ESP_PRIV_FW_DATA" },
  ng = { [0] = "ESP_BOOTUP_CAPABILITY", [1] = "ESP_BOOTUP_FW_DATA", [2] = "ESP_BOOTUP_SPI_CLK_MHZ", [3] = "ESP_BOOTUP_FIRMWARE_CHIP_ID", [4] = "ESP_BOOTUP_TEST_RAW_TP" },
  mcu = {
    [0x11] = "ESP_PRIV_CAPABILITY", [0x12] = "ESP_PRIV_FIRMWARE_CHIP_ID", [0x13] = "ESP_PRIV_TEST_RAW_TP", [0x14] = "ESP_PRIV_RX_Q_SIZE",
    [0x15] = "ESP_PRIV_TX_Q_SIZE", [0x16] = "ESP_PRIV_CAP_EXT", [0x17] = "ESP_PRIV_FIRMWARE_VERSION", [0x18] = "ESP_PRIV_TRANS_SDIO_MODE",
    [0x19] = "ESP_PRIV_TRANSFER_SIZE",
  },
}

-- generated:start (scripts/esp-hosted-proto.ts; do not edit by hand)
local SCHEMA = {
  fg = {
    envelope = "fg.CtrlMsg",
    types = { [0] = "MsgType_Invalid", [1] = "Req", [2] = "Resp", [3] = "Event", [4] = "MsgType_Max" },
    ids = {
      [0] = "MsgId_Invalid",
      [100] = "Req_Base",
      [101] = "Req_GetMACAddress",
      [102] = "Req_SetMacAddress",
      [103] = "Req_GetWifiMode",
      [104] = "Req_SetWifiMode",
      [105] = "Req_GetAPScanList",
      [106] = "Req_GetAPConfig",
      [107] = "Req_ConnectAP",
      [108] = "Req_DisconnectAP",
      [109] = "Req_GetSoftAPConfig",
      [110] = "Req_SetSoftAPVendorSpecificIE",
      [111] = "Req_StartSoftAP",
      [112] = "Req_GetSoftAPConnectedSTAList",
      [113] = "Req_StopSoftAP",
      [114] = "Req_SetPowerSaveMode",
      [115] = "Req_GetPowerSaveMode",
      [116] = "Req_OTABegin",
      [117] = "Req_OTAWrite",
      [118] = "Req_OTAEnd",
      [119] = "Req_SetWifiMaxTxPower",
      [120] = "Req_GetWifiCurrTxPower",
      [121] = "Req_ConfigHeartbeat",
      [122] = "Req_EnableDisable",
      [123] = "Req_GetFwVersion",
      [124] = "Req_SetCountryCode",
      [125] = "Req_GetCountryCode",
      [126] = "Req_Max",
      [200] = "Resp_Base",
      [201] = "Resp_GetMACAddress",
      [202] = "Resp_SetMacAddress",
      [203] = "Resp_GetWifiMode",
      [204] = "Resp_SetWifiMode",
      [205] = "Resp_GetAPScanList",
      [206] = "Resp_GetAPConfig",
      [207] = "Resp_ConnectAP",
      [208] = "Resp_DisconnectAP",
      [209] = "Resp_GetSoftAPConfig",
      [210] = "Resp_SetSoftAPVendorSpecificIE",
      [211] = "Resp_StartSoftAP",
      [212] = "Resp_GetSoftAPConnectedSTAList",
      [213] = "Resp_StopSoftAP",
      [214] = "Resp_SetPowerSaveMode",
      [215] = "Resp_GetPowerSaveMode",
      [216] = "Resp_OTABegin",
      [217] = "Resp_OTAWrite",
      [218] = "Resp_OTAEnd",
      [219] = "Resp_SetWifiMaxTxPower",
      [220] = "Resp_GetWifiCurrTxPower",
      [221] = "Resp_ConfigHeartbeat",
      [222] = "Resp_EnableDisable",
      [223] = "Resp_GetFwVersion",
      [224] = "Resp_SetCountryCode",
      [225] = "Resp_GetCountryCode",
      [226] = "Resp_Max",
      [300] = "Event_Base",
      [301] = "Event_ESPInit",
      [302] = "Event_Heartbeat",
      [303] = "Event_StationDisconnectFromAP",
      [304] = "Event_StationDisconnectFromESPSoftAP",
      [305] = "Event_StationConnectedToAP",
      [306] = "Event_StationConnectedToESPSoftAP",
      [307] = "Event_Max",
    },
    payload = {
      [101] = "fg.CtrlMsg_Req_GetMacAddress",
      [102] = "fg.CtrlMsg_Req_SetMacAddress",
      [103] = "fg.CtrlMsg_Req_GetMode",
      [104] = "fg.CtrlMsg_Req_SetMode",
      [105] = "fg.CtrlMsg_Req_ScanResult",
      [106] = "fg.CtrlMsg_Req_GetAPConfig",
      [107] = "fg.CtrlMsg_Req_ConnectAP",
      [108] = "fg.CtrlMsg_Req_GetStatus",
      [109] = "fg.CtrlMsg_Req_GetSoftAPConfig",
      [110] = "fg.CtrlMsg_Req_SetSoftAPVendorSpecificIE",
      [111] = "fg.CtrlMsg_Req_StartSoftAP",
      [112] = "fg.CtrlMsg_Req_SoftAPConnectedSTA",
      [113] = "fg.CtrlMsg_Req_GetStatus",
      [114] = "fg.CtrlMsg_Req_SetMode",
      [115] = "fg.CtrlMsg_Req_GetMode",
      [116] = "fg.CtrlMsg_Req_OTABegin",
      [117] = "fg.CtrlMsg_Req_OTAWrite",
      [118] = "fg.CtrlMsg_Req_OTAEnd",
      [119] = "fg.CtrlMsg_Req_SetWifiMaxTxPower",
      [120] = "fg.CtrlMsg_Req_GetWifiCurrTxPower",
      [121] = "fg.CtrlMsg_Req_ConfigHeartbeat",
      [122] = "fg.CtrlMsg_Req_EnableDisable",
      [123] = "fg.CtrlMsg_Req_GetFwVersion",
      [124] = "fg.CtrlMsg_Req_SetCountryCode",
      [125] = "fg.CtrlMsg_Req_GetCountryCode",
      [201] = "fg.CtrlMsg_Resp_GetMacAddress",
      [202] = "fg.CtrlMsg_Resp_SetMacAddress",
      [203] = "fg.CtrlMsg_Resp_GetMode",
      [204] = "fg.CtrlMsg_Resp_SetMode",
      [205] = "fg.CtrlMsg_Resp_ScanResult",
      [206] = "fg.CtrlMsg_Resp_GetAPConfig",
      [207] = "fg.CtrlMsg_Resp_ConnectAP",
      [208] = "fg.CtrlMsg_Resp_GetStatus",
      [209] = "fg.CtrlMsg_Resp_GetSoftAPConfig",
      [210] = "fg.CtrlMsg_Resp_SetSoftAPVendorSpecificIE",
      [211] = "fg.CtrlMsg_Resp_StartSoftAP",
      [212] = "fg.CtrlMsg_Resp_SoftAPConnectedSTA",
      [213] = "fg.CtrlMsg_Resp_GetStatus",
      [214] = "fg.CtrlMsg_Resp_SetMode",
      [215] = "fg.CtrlMsg_Resp_GetMode",
      [216] = "fg.CtrlMsg_Resp_OTABegin",
      [217] = "fg.CtrlMsg_Resp_OTAWrite",
      [218] = "fg.CtrlMsg_Resp_OTAEnd",
      [219] = "fg.CtrlMsg_Resp_SetWifiMaxTxPower",
      [220] = "fg.CtrlMsg_Resp_GetWifiCurrTxPower",
      [221] = "fg.CtrlMsg_Resp_ConfigHeartbeat",
      [222] = "fg.CtrlMsg_Resp_EnableDisable",
      [223] = "fg.CtrlMsg_Resp_GetFwVersion",
      [224] = "fg.CtrlMsg_Resp_SetCountryCode",
      [225] = "fg.CtrlMsg_Resp_GetCountryCode",
      [301] = "fg.CtrlMsg_Event_ESPInit",
      [302] = "fg.CtrlMsg_Event_Heartbeat",
      [303] = "fg.CtrlMsg_Event_StationDisconnectFromAP",
      [304] = "fg.CtrlMsg_Event_StationDisconnectFromESPSoftAP",
      [305] = "fg.CtrlMsg_Event_StationConnectedToAP",
      [306] = "fg.CtrlMsg_Event_StationConnectedToESPSoftAP",
    },
    messages = {
      ["fg.ScanResult"] = { [1] = { name = "ssid", kind = "bytes" }, [2] = { name = "chnl", kind = "uint32" }, [3] = { name = "rssi", kind = "int32" }, [4] = { name = "bssid", kind = "bytes" }, [5] = { name = "sec_prot", kind = "int32", ref = "fg.Ctrl_WifiSecProt" } },
      ["fg.ConnectedSTAList"] = { [1] = { name = "mac", kind = "bytes" }, [2] = { name = "rssi", kind = "int32" } },
      ["fg.CtrlMsg_Req_GetMacAddress"] = { [1] = { name = "mode", kind = "int32" } },
      ["fg.CtrlMsg_Resp_GetMacAddress"] = { [1] = { name = "mac", kind = "bytes" }, [2] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_GetMode"] = {  },
      ["fg.CtrlMsg_Resp_GetMode"] = { [1] = { name = "mode", kind = "int32" }, [2] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_SetMode"] = { [1] = { name = "mode", kind = "int32" } },
      ["fg.CtrlMsg_Resp_SetMode"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_GetStatus"] = {  },
      ["fg.CtrlMsg_Resp_GetStatus"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_SetMacAddress"] = { [1] = { name = "mac", kind = "bytes" }, [2] = { name = "mode", kind = "int32" } },
      ["fg.CtrlMsg_Resp_SetMacAddress"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_GetAPConfig"] = {  },
      ["fg.CtrlMsg_Resp_GetAPConfig"] = { [1] = { name = "ssid", kind = "bytes" }, [2] = { name = "bssid", kind = "bytes" }, [3] = { name = "rssi", kind = "int32" }, [4] = { name = "chnl", kind = "int32" }, [5] = { name = "sec_prot", kind = "int32", ref = "fg.Ctrl_WifiSecProt" }, [6] = { name = "resp", kind = "int32" }, [7] = { name = "band_mode", kind = "int32" } },
      ["fg.CtrlMsg_Req_ConnectAP"] = { [1] = { name = "ssid", kind = "string" }, [2] = { name = "pwd", kind = "string" }, [3] = { name = "bssid", kind = "string" }, [4] = { name = "is_wpa3_supported", kind = "bool" }, [5] = { name = "listen_interval", kind = "int32" }, [6] = { name = "band_mode", kind = "int32" } },
      ["fg.CtrlMsg_Resp_ConnectAP"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "mac", kind = "bytes" }, [3] = { name = "band_mode", kind = "int32" } },
      ["fg.CtrlMsg_Req_GetSoftAPConfig"] = {  },
      ["fg.CtrlMsg_Resp_GetSoftAPConfig"] = { [1] = { name = "ssid", kind = "bytes" }, [2] = { name = "pwd", kind = "bytes" }, [3] = { name = "chnl", kind = "int32" }, [4] = { name = "sec_prot", kind = "int32", ref = "fg.Ctrl_WifiSecProt" }, [5] = { name = "max_conn", kind = "int32" }, [6] = { name = "ssid_hidden", kind = "bool" }, [7] = { name = "bw", kind = "int32" }, [8] = { name = "resp", kind = "int32" }, [9] = { name = "band_mode", kind = "int32" } },
      ["fg.CtrlMsg_Req_StartSoftAP"] = { [1] = { name = "ssid", kind = "string" }, [2] = { name = "pwd", kind = "string" }, [3] = { name = "chnl", kind = "int32" }, [4] = { name = "sec_prot", kind = "int32", ref = "fg.Ctrl_WifiSecProt" }, [5] = { name = "max_conn", kind = "int32" }, [6] = { name = "ssid_hidden", kind = "bool" }, [7] = { name = "bw", kind = "int32" }, [8] = { name = "band_mode", kind = "int32" } },
      ["fg.CtrlMsg_Resp_StartSoftAP"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "mac", kind = "bytes" }, [3] = { name = "band_mode", kind = "int32" } },
      ["fg.CtrlMsg_Req_ScanResult"] = {  },
      ["fg.CtrlMsg_Resp_ScanResult"] = { [1] = { name = "count", kind = "uint32" }, [2] = { name = "entries", kind = "message", ref = "fg.ScanResult", rep = true }, [3] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_SoftAPConnectedSTA"] = {  },
      ["fg.CtrlMsg_Resp_SoftAPConnectedSTA"] = { [1] = { name = "num", kind = "uint32" }, [2] = { name = "stations", kind = "message", ref = "fg.ConnectedSTAList", rep = true }, [3] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_OTABegin"] = {  },
      ["fg.CtrlMsg_Resp_OTABegin"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_OTAWrite"] = { [1] = { name = "ota_data", kind = "bytes" } },
      ["fg.CtrlMsg_Resp_OTAWrite"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_OTAEnd"] = {  },
      ["fg.CtrlMsg_Resp_OTAEnd"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_VendorIEData"] = { [1] = { name = "element_id", kind = "int32" }, [2] = { name = "length", kind = "int32" }, [3] = { name = "vendor_oui", kind = "bytes" }, [4] = { name = "vendor_oui_type", kind = "int32" }, [5] = { name = "payload", kind = "bytes" } },
      ["fg.CtrlMsg_Req_SetSoftAPVendorSpecificIE"] = { [1] = { name = "enable", kind = "bool" }, [2] = { name = "type", kind = "int32", ref = "fg.Ctrl_VendorIEType" }, [3] = { name = "idx", kind = "int32", ref = "fg.Ctrl_VendorIEID" }, [4] = { name = "vendor_ie_data", kind = "message", ref = "fg.CtrlMsg_Req_VendorIEData" } },
      ["fg.CtrlMsg_Resp_SetSoftAPVendorSpecificIE"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_SetWifiMaxTxPower"] = { [1] = { name = "wifi_max_tx_power", kind = "int32" } },
      ["fg.CtrlMsg_Resp_SetWifiMaxTxPower"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_GetWifiCurrTxPower"] = {  },
      ["fg.CtrlMsg_Resp_GetWifiCurrTxPower"] = { [1] = { name = "wifi_curr_tx_power", kind = "int32" }, [2] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_ConfigHeartbeat"] = { [1] = { name = "enable", kind = "bool" }, [2] = { name = "duration", kind = "int32" } },
      ["fg.CtrlMsg_Resp_ConfigHeartbeat"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_EnableDisable"] = { [1] = { name = "feature", kind = "uint32" }, [2] = { name = "enable", kind = "bool" } },
      ["fg.CtrlMsg_Resp_EnableDisable"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_GetFwVersion"] = {  },
      ["fg.CtrlMsg_Resp_GetFwVersion"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "name", kind = "string" }, [3] = { name = "major1", kind = "uint32" }, [4] = { name = "major2", kind = "uint32" }, [5] = { name = "minor", kind = "uint32" }, [6] = { name = "rev_patch1", kind = "uint32" }, [7] = { name = "rev_patch2", kind = "uint32" } },
      ["fg.CtrlMsg_Req_SetCountryCode"] = { [1] = { name = "country", kind = "bytes" }, [2] = { name = "ieee80211d_enabled", kind = "bool" } },
      ["fg.CtrlMsg_Resp_SetCountryCode"] = { [1] = { name = "resp", kind = "int32" } },
      ["fg.CtrlMsg_Req_GetCountryCode"] = {  },
      ["fg.CtrlMsg_Resp_GetCountryCode"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "country", kind = "bytes" } },
      ["fg.CtrlMsg_Event_ESPInit"] = { [1] = { name = "init_data", kind = "bytes" } },
      ["fg.CtrlMsg_Event_Heartbeat"] = { [1] = { name = "hb_num", kind = "int32" } },
      ["fg.CtrlMsg_Event_StationDisconnectFromAP"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "ssid", kind = "bytes" }, [3] = { name = "ssid_len", kind = "uint32" }, [4] = { name = "bssid", kind = "bytes" }, [5] = { name = "reason", kind = "uint32" }, [6] = { name = "rssi", kind = "int32" } },
      ["fg.CtrlMsg_Event_StationConnectedToAP"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "ssid", kind = "bytes" }, [3] = { name = "ssid_len", kind = "uint32" }, [4] = { name = "bssid", kind = "bytes" }, [5] = { name = "channel", kind = "uint32" }, [6] = { name = "authmode", kind = "int32" }, [7] = { name = "aid", kind = "int32" } },
      ["fg.CtrlMsg_Event_StationDisconnectFromESPSoftAP"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "mac", kind = "bytes" }, [3] = { name = "aid", kind = "uint32" }, [4] = { name = "is_mesh_child", kind = "bool" }, [5] = { name = "reason", kind = "uint32" } },
      ["fg.CtrlMsg_Event_StationConnectedToESPSoftAP"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "mac", kind = "bytes" }, [3] = { name = "aid", kind = "uint32" }, [4] = { name = "is_mesh_child", kind = "bool" } },
    },
    enums = {
      ["fg.Ctrl_VendorIEType"] = { [0] = "Beacon", [1] = "Probe_req", [2] = "Probe_resp", [3] = "Assoc_req", [4] = "Assoc_resp" },
      ["fg.Ctrl_VendorIEID"] = { [0] = "ID_0", [1] = "ID_1" },
      ["fg.Ctrl_WifiSecProt"] = { [0] = "Open", [1] = "WEP", [2] = "WPA_PSK", [3] = "WPA2_PSK", [4] = "WPA_WPA2_PSK", [5] = "WPA2_ENTERPRISE", [6] = "WPA3_PSK", [7] = "WPA2_WPA3_PSK" },
      ["fg.CtrlMsgType"] = { [0] = "MsgType_Invalid", [1] = "Req", [2] = "Resp", [3] = "Event", [4] = "MsgType_Max" },
      ["fg.CtrlMsgId"] = { [0] = "MsgId_Invalid", [100] = "Req_Base", [101] = "Req_GetMACAddress", [102] = "Req_SetMacAddress", [103] = "Req_GetWifiMode", [104] = "Req_SetWifiMode", [105] = "Req_GetAPScanList", [106] = "Req_GetAPConfig", [107] = "Req_ConnectAP", [108] = "Req_DisconnectAP", [109] = "Req_GetSoftAPConfig", [110] = "Req_SetSoftAPVendorSpecificIE", [111] = "Req_StartSoftAP", [112] = "Req_GetSoftAPConnectedSTAList", [113] = "Req_StopSoftAP", [114] = "Req_SetPowerSaveMode", [115] = "Req_GetPowerSaveMode", [116] = "Req_OTABegin", [117] = "Req_OTAWrite", [118] = "Req_OTAEnd", [119] = "Req_SetWifiMaxTxPower", [120] = "Req_GetWifiCurrTxPower", [121] = "Req_ConfigHeartbeat", [122] = "Req_EnableDisable", [123] = "Req_GetFwVersion", [124] = "Req_SetCountryCode", [125] = "Req_GetCountryCode", [126] = "Req_Max", [200] = "Resp_Base", [201] = "Resp_GetMACAddress", [202] = "Resp_SetMacAddress", [203] = "Resp_GetWifiMode", [204] = "Resp_SetWifiMode", [205] = "Resp_GetAPScanList", [206] = "Resp_GetAPConfig", [207] = "Resp_ConnectAP", [208] = "Resp_DisconnectAP", [209] = "Resp_GetSoftAPConfig", [210] = "Resp_SetSoftAPVendorSpecificIE", [211] = "Resp_StartSoftAP", [212] = "Resp_GetSoftAPConnectedSTAList", [213] = "Resp_StopSoftAP", [214] = "Resp_SetPowerSaveMode", [215] = "Resp_GetPowerSaveMode", [216] = "Resp_OTABegin", [217] = "Resp_OTAWrite", [218] = "Resp_OTAEnd", [219] = "Resp_SetWifiMaxTxPower", [220] = "Resp_GetWifiCurrTxPower", [221] = "Resp_ConfigHeartbeat", [222] = "Resp_EnableDisable", [223] = "Resp_GetFwVersion", [224] = "Resp_SetCountryCode", [225] = "Resp_GetCountryCode", [226] = "Resp_Max", [300] = "Event_Base", [301] = "Event_ESPInit", [302] = "Event_Heartbeat", [303] = "Event_StationDisconnectFromAP", [304] = "Event_StationDisconnectFromESPSoftAP", [305] = "Event_StationConnectedToAP", [306] = "Event_StationConnectedToESPSoftAP", [307] = "Event_Max" },
    },
  },
  mcu = {
    envelope = "mcu.Rpc",
    types = { [0] = "MsgType_Invalid", [1] = "Req", [2] = "Resp", [3] = "Event", [4] = "MsgType_Max" },
    ids = {
      [0] = "MsgId_Invalid",
      [256] = "Req_Base",
      [257] = "Req_GetMACAddress",
      [258] = "Req_SetMacAddress",
      [259] = "Req_GetWifiMode",
      [260] = "Req_SetWifiMode",
      [266] = "Req_OTAActivate",
      [270] = "Req_WifiSetPs",
      [271] = "Req_WifiGetPs",
      [272] = "Req_OTABegin",
      [273] = "Req_OTAWrite",
      [274] = "Req_OTAEnd",
      [275] = "Req_WifiSetMaxTxPower",
      [276] = "Req_WifiGetMaxTxPower",
      [277] = "Req_ConfigHeartbeat",
      [278] = "Req_WifiInit",
      [279] = "Req_WifiDeinit",
      [280] = "Req_WifiStart",
      [281] = "Req_WifiStop",
      [282] = "Req_WifiConnect",
      [283] = "Req_WifiDisconnect",
      [284] = "Req_WifiSetConfig",
      [285] = "Req_WifiGetConfig",
      [286] = "Req_WifiScanStart",
      [287] = "Req_WifiScanStop",
      [288] = "Req_WifiScanGetApNum",
      [289] = "Req_WifiScanGetApRecords",
      [290] = "Req_WifiClearApList",
      [334] = "Req_WifiSetCountryCode",
      [335] = "Req_WifiGetCountryCode",
      [341] = "Req_WifiStaGetRssi",
      [350] = "Req_GetCoprocessorFwVersion",
      [351] = "Req_WifiScanGetApRecord",
      [352] = "Req_SetDhcpDnsStatus",
      [353] = "Req_GetDhcpDnsStatus",
      [512] = "Resp_Base",
      [513] = "Resp_GetMACAddress",
      [514] = "Resp_SetMacAddress",
      [515] = "Resp_GetWifiMode",
      [516] = "Resp_SetWifiMode",
      [522] = "Resp_OTAActivate",
      [526] = "Resp_WifiSetPs",
      [527] = "Resp_WifiGetPs",
      [528] = "Resp_OTABegin",
      [529] = "Resp_OTAWrite",
      [530] = "Resp_OTAEnd",
      [531] = "Resp_WifiSetMaxTxPower",
      [532] = "Resp_WifiGetMaxTxPower",
      [533] = "Resp_ConfigHeartbeat",
      [534] = "Resp_WifiInit",
      [535] = "Resp_WifiDeinit",
      [536] = "Resp_WifiStart",
      [537] = "Resp_WifiStop",
      [538] = "Resp_WifiConnect",
      [539] = "Resp_WifiDisconnect",
      [540] = "Resp_WifiSetConfig",
      [541] = "Resp_WifiGetConfig",
      [542] = "Resp_WifiScanStart",
      [543] = "Resp_WifiScanStop",
      [544] = "Resp_WifiScanGetApNum",
      [545] = "Resp_WifiScanGetApRecords",
      [546] = "Resp_WifiClearApList",
      [590] = "Resp_WifiSetCountryCode",
      [591] = "Resp_WifiGetCountryCode",
      [597] = "Resp_WifiStaGetRssi",
      [606] = "Resp_GetCoprocessorFwVersion",
      [607] = "Resp_WifiScanGetApRecord",
      [608] = "Resp_SetDhcpDnsStatus",
      [609] = "Resp_GetDhcpDnsStatus",
      [768] = "Event_Base",
      [769] = "Event_ESPInit",
      [770] = "Event_Heartbeat",
      [771] = "Event_AP_StaConnected",
      [772] = "Event_AP_StaDisconnected",
      [773] = "Event_WifiEventNoArgs",
      [774] = "Event_StaScanDone",
      [775] = "Event_StaConnected",
      [776] = "Event_StaDisconnected",
      [777] = "Event_DhcpDnsStatus",
    },
    payload = {
      [257] = "mcu.Rpc_Req_GetMacAddress",
      [258] = "mcu.Rpc_Req_SetMacAddress",
      [259] = "mcu.Rpc_Req_GetMode",
      [260] = "mcu.Rpc_Req_SetMode",
      [266] = "mcu.Rpc_Req_OTAActivate",
      [270] = "mcu.Rpc_Req_SetPs",
      [271] = "mcu.Rpc_Req_GetPs",
      [272] = "mcu.Rpc_Req_OTABegin",
      [273] = "mcu.Rpc_Req_OTAWrite",
      [274] = "mcu.Rpc_Req_OTAEnd",
      [275] = "mcu.Rpc_Req_WifiSetMaxTxPower",
      [276] = "mcu.Rpc_Req_WifiGetMaxTxPower",
      [277] = "mcu.Rpc_Req_ConfigHeartbeat",
      [279] = "mcu.Rpc_Req_WifiDeinit",
      [280] = "mcu.Rpc_Req_WifiStart",
      [281] = "mcu.Rpc_Req_WifiStop",
      [282] = "mcu.Rpc_Req_WifiConnect",
      [283] = "mcu.Rpc_Req_WifiDisconnect",
      [285] = "mcu.Rpc_Req_WifiGetConfig",
      [286] = "mcu.Rpc_Req_WifiScanStart",
      [287] = "mcu.Rpc_Req_WifiScanStop",
      [288] = "mcu.Rpc_Req_WifiScanGetApNum",
      [289] = "mcu.Rpc_Req_WifiScanGetApRecords",
      [290] = "mcu.Rpc_Req_WifiClearApList",
      [334] = "mcu.Rpc_Req_WifiSetCountryCode",
      [335] = "mcu.Rpc_Req_WifiGetCountryCode",
      [341] = "mcu.Rpc_Req_WifiStaGetRssi",
      [350] = "mcu.Rpc_Req_GetCoprocessorFwVersion",
      [351] = "mcu.Rpc_Req_WifiScanGetApRecord",
      [352] = "mcu.Rpc_Req_SetDhcpDnsStatus",
      [353] = "mcu.Rpc_Req_GetDhcpDnsStatus",
      [513] = "mcu.Rpc_Resp_GetMacAddress",
      [514] = "mcu.Rpc_Resp_SetMacAddress",
      [515] = "mcu.Rpc_Resp_GetMode",
      [516] = "mcu.Rpc_Resp_SetMode",
      [522] = "mcu.Rpc_Resp_OTAActivate",
      [526] = "mcu.Rpc_Resp_SetPs",
      [527] = "mcu.Rpc_Resp_GetPs",
      [528] = "mcu.Rpc_Resp_OTABegin",
      [529] = "mcu.Rpc_Resp_OTAWrite",
      [530] = "mcu.Rpc_Resp_OTAEnd",
      [531] = "mcu.Rpc_Resp_WifiSetMaxTxPower",
      [532] = "mcu.Rpc_Resp_WifiGetMaxTxPower",
      [533] = "mcu.Rpc_Resp_ConfigHeartbeat",
      [534] = "mcu.Rpc_Resp_WifiInit",
      [535] = "mcu.Rpc_Resp_WifiDeinit",
      [536] = "mcu.Rpc_Resp_WifiStart",
      [537] = "mcu.Rpc_Resp_WifiStop",
      [538] = "mcu.Rpc_Resp_WifiConnect",
      [539] = "mcu.Rpc_Resp_WifiDisconnect",
      [540] = "mcu.Rpc_Resp_WifiSetConfig",
      [542] = "mcu.Rpc_Resp_WifiScanStart",
      [543] = "mcu.Rpc_Resp_WifiScanStop",
      [544] = "mcu.Rpc_Resp_WifiScanGetApNum",
      [545] = "mcu.Rpc_Resp_WifiScanGetApRecords",
      [546] = "mcu.Rpc_Resp_WifiClearApList",
      [590] = "mcu.Rpc_Resp_WifiSetCountryCode",
      [591] = "mcu.Rpc_Resp_WifiGetCountryCode",
      [597] = "mcu.Rpc_Resp_WifiStaGetRssi",
      [606] = "mcu.Rpc_Resp_GetCoprocessorFwVersion",
      [607] = "mcu.Rpc_Resp_WifiScanGetApRecord",
      [608] = "mcu.Rpc_Resp_SetDhcpDnsStatus",
      [609] = "mcu.Rpc_Resp_GetDhcpDnsStatus",
      [769] = "mcu.Rpc_Event_ESPInit",
      [770] = "mcu.Rpc_Event_Heartbeat",
      [771] = "mcu.Rpc_Event_AP_StaConnected",
      [772] = "mcu.Rpc_Event_AP_StaDisconnected",
      [773] = "mcu.Rpc_Event_WifiEventNoArgs",
      [774] = "mcu.Rpc_Event_StaScanDone",
      [775] = "mcu.Rpc_Event_StaConnected",
      [776] = "mcu.Rpc_Event_StaDisconnected",
      [777] = "mcu.Rpc_Event_DhcpDnsStatus",
    },
    messages = {
      ["mcu.wifi_scan_config"] = { [1] = { name = "ssid", kind = "bytes" }, [2] = { name = "bssid", kind = "bytes" }, [3] = { name = "channel", kind = "uint32" }, [4] = { name = "show_hidden", kind = "bool" }, [5] = { name = "scan_type", kind = "int32" }, [7] = { name = "home_chan_dwell_time", kind = "uint32" } },
      ["mcu.wifi_ap_record"] = { [1] = { name = "bssid", kind = "bytes" }, [2] = { name = "ssid", kind = "bytes" }, [3] = { name = "primary", kind = "uint32" }, [4] = { name = "second", kind = "int32" }, [5] = { name = "rssi", kind = "int32" }, [6] = { name = "authmode", kind = "int32" }, [7] = { name = "pairwise_cipher", kind = "int32" }, [8] = { name = "group_cipher", kind = "int32" }, [9] = { name = "ant", kind = "int32" }, [10] = { name = "bitmask", kind = "uint32" }, [13] = { name = "bandwidth", kind = "uint32" } },
      ["mcu.wifi_event_sta_scan_done"] = { [1] = { name = "status", kind = "uint32" }, [2] = { name = "number", kind = "uint32" }, [3] = { name = "scan_id", kind = "uint32" } },
      ["mcu.wifi_event_sta_connected"] = { [1] = { name = "ssid", kind = "bytes" }, [2] = { name = "ssid_len", kind = "uint32" }, [3] = { name = "bssid", kind = "bytes" }, [4] = { name = "channel", kind = "uint32" }, [5] = { name = "authmode", kind = "int32" }, [6] = { name = "aid", kind = "int32" } },
      ["mcu.wifi_event_sta_disconnected"] = { [1] = { name = "ssid", kind = "bytes" }, [2] = { name = "ssid_len", kind = "uint32" }, [3] = { name = "bssid", kind = "bytes" }, [4] = { name = "reason", kind = "uint32" }, [5] = { name = "rssi", kind = "int32" } },
      ["mcu.Rpc_Req_GetMacAddress"] = { [1] = { name = "mode", kind = "int32" } },
      ["mcu.Rpc_Resp_GetMacAddress"] = { [1] = { name = "mac", kind = "bytes" }, [2] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_SetMacAddress"] = { [1] = { name = "mac", kind = "bytes" }, [2] = { name = "mode", kind = "int32" } },
      ["mcu.Rpc_Resp_SetMacAddress"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_GetMode"] = {  },
      ["mcu.Rpc_Resp_GetMode"] = { [1] = { name = "mode", kind = "int32" }, [2] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_SetMode"] = { [1] = { name = "mode", kind = "int32" } },
      ["mcu.Rpc_Resp_SetMode"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_SetPs"] = { [1] = { name = "type", kind = "int32" } },
      ["mcu.Rpc_Resp_SetPs"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_GetPs"] = {  },
      ["mcu.Rpc_Resp_GetPs"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "type", kind = "int32" } },
      ["mcu.Rpc_Req_OTABegin"] = {  },
      ["mcu.Rpc_Resp_OTABegin"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_OTAWrite"] = { [1] = { name = "ota_data", kind = "bytes" } },
      ["mcu.Rpc_Resp_OTAWrite"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_OTAEnd"] = {  },
      ["mcu.Rpc_Resp_OTAEnd"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_OTAActivate"] = {  },
      ["mcu.Rpc_Resp_OTAActivate"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiSetMaxTxPower"] = { [1] = { name = "power", kind = "int32" } },
      ["mcu.Rpc_Resp_WifiSetMaxTxPower"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiGetMaxTxPower"] = {  },
      ["mcu.Rpc_Resp_WifiGetMaxTxPower"] = { [1] = { name = "power", kind = "int32" }, [2] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_ConfigHeartbeat"] = { [1] = { name = "enable", kind = "bool" }, [2] = { name = "duration", kind = "int32" } },
      ["mcu.Rpc_Resp_ConfigHeartbeat"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Resp_WifiInit"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiDeinit"] = {  },
      ["mcu.Rpc_Resp_WifiDeinit"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Resp_WifiSetConfig"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiGetConfig"] = { [1] = { name = "iface", kind = "int32" } },
      ["mcu.Rpc_Req_WifiConnect"] = {  },
      ["mcu.Rpc_Resp_WifiConnect"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiDisconnect"] = {  },
      ["mcu.Rpc_Resp_WifiDisconnect"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiStart"] = {  },
      ["mcu.Rpc_Resp_WifiStart"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiStop"] = {  },
      ["mcu.Rpc_Resp_WifiStop"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiScanStart"] = { [1] = { name = "config", kind = "message", ref = "mcu.wifi_scan_config" }, [2] = { name = "block", kind = "bool" }, [3] = { name = "config_set", kind = "int32" } },
      ["mcu.Rpc_Resp_WifiScanStart"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiScanStop"] = {  },
      ["mcu.Rpc_Resp_WifiScanStop"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiScanGetApNum"] = {  },
      ["mcu.Rpc_Resp_WifiScanGetApNum"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "number", kind = "int32" } },
      ["mcu.Rpc_Req_WifiScanGetApRecords"] = { [1] = { name = "number", kind = "int32" } },
      ["mcu.Rpc_Resp_WifiScanGetApRecords"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "number", kind = "int32" }, [3] = { name = "ap_records", kind = "message", ref = "mcu.wifi_ap_record", rep = true } },
      ["mcu.Rpc_Req_WifiScanGetApRecord"] = {  },
      ["mcu.Rpc_Resp_WifiScanGetApRecord"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "ap_record", kind = "message", ref = "mcu.wifi_ap_record" } },
      ["mcu.Rpc_Req_WifiClearApList"] = {  },
      ["mcu.Rpc_Resp_WifiClearApList"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiSetCountryCode"] = { [1] = { name = "country", kind = "bytes" }, [2] = { name = "ieee80211d_enabled", kind = "bool" } },
      ["mcu.Rpc_Resp_WifiSetCountryCode"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_WifiGetCountryCode"] = {  },
      ["mcu.Rpc_Resp_WifiGetCountryCode"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "country", kind = "bytes" } },
      ["mcu.Rpc_Req_WifiStaGetRssi"] = {  },
      ["mcu.Rpc_Resp_WifiStaGetRssi"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "rssi", kind = "int32" } },
      ["mcu.Rpc_Req_GetCoprocessorFwVersion"] = {  },
      ["mcu.Rpc_Resp_GetCoprocessorFwVersion"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "major1", kind = "uint32" }, [3] = { name = "minor1", kind = "uint32" }, [4] = { name = "patch1", kind = "uint32" } },
      ["mcu.Rpc_Req_SetDhcpDnsStatus"] = { [1] = { name = "iface", kind = "int32" }, [2] = { name = "net_link_up", kind = "int32" }, [3] = { name = "dhcp_up", kind = "int32" }, [4] = { name = "dhcp_ip", kind = "bytes" }, [5] = { name = "dhcp_nm", kind = "bytes" }, [6] = { name = "dhcp_gw", kind = "bytes" }, [7] = { name = "dns_up", kind = "int32" }, [8] = { name = "dns_ip", kind = "bytes" }, [9] = { name = "dns_type", kind = "int32" } },
      ["mcu.Rpc_Resp_SetDhcpDnsStatus"] = { [1] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Req_GetDhcpDnsStatus"] = { [1] = { name = "iface", kind = "int32" } },
      ["mcu.Rpc_Resp_GetDhcpDnsStatus"] = { [1] = { name = "iface", kind = "int32" }, [2] = { name = "net_link_up", kind = "int32" }, [3] = { name = "dhcp_up", kind = "int32" }, [4] = { name = "dhcp_ip", kind = "bytes" }, [5] = { name = "dhcp_nm", kind = "bytes" }, [6] = { name = "dhcp_gw", kind = "bytes" }, [7] = { name = "dns_up", kind = "int32" }, [8] = { name = "dns_ip", kind = "bytes" }, [9] = { name = "dns_type", kind = "int32" }, [10] = { name = "resp", kind = "int32" } },
      ["mcu.Rpc_Event_WifiEventNoArgs"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "event_id", kind = "int32" } },
      ["mcu.Rpc_Event_ESPInit"] = { [1] = { name = "init_data", kind = "bytes" } },
      ["mcu.Rpc_Event_Heartbeat"] = { [1] = { name = "hb_num", kind = "int32" } },
      ["mcu.Rpc_Event_AP_StaDisconnected"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "mac", kind = "bytes" }, [3] = { name = "aid", kind = "uint32" }, [4] = { name = "is_mesh_child", kind = "bool" }, [5] = { name = "reason", kind = "uint32" } },
      ["mcu.Rpc_Event_AP_StaConnected"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "mac", kind = "bytes" }, [3] = { name = "aid", kind = "uint32" }, [4] = { name = "is_mesh_child", kind = "bool" } },
      ["mcu.Rpc_Event_StaScanDone"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "scan_done", kind = "message", ref = "mcu.wifi_event_sta_scan_done" } },
      ["mcu.Rpc_Event_StaConnected"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "sta_connected", kind = "message", ref = "mcu.wifi_event_sta_connected" } },
      ["mcu.Rpc_Event_StaDisconnected"] = { [1] = { name = "resp", kind = "int32" }, [2] = { name = "sta_disconnected", kind = "message", ref = "mcu.wifi_event_sta_disconnected" } },
      ["mcu.Rpc_Event_DhcpDnsStatus"] = { [1] = { name = "iface", kind = "int32" }, [2] = { name = "net_link_up", kind = "int32" }, [3] = { name = "dhcp_up", kind = "int32" }, [4] = { name = "dhcp_ip", kind = "bytes" }, [5] = { name = "dhcp_nm", kind = "bytes" }, [6] = { name = "dhcp_gw", kind = "bytes" }, [7] = { name = "dns_up", kind = "int32" }, [8] = { name = "dns_ip", kind = "bytes" }, [9] = { name = "dns_type", kind = "int32" }, [10] = { name = "resp", kind = "int32" } },
    },
    enums = {
      ["mcu.RpcType"] = { [0] = "MsgType_Invalid", [1] = "Req", [2] = "Resp", [3] = "Event", [4] = "MsgType_Max" },
      ["mcu.RpcId"] = { [0] = "MsgId_Invalid", [256] = "Req_Base", [257] = "Req_GetMACAddress", [258] = "Req_SetMacAddress", [259] = "Req_GetWifiMode", [260] = "Req_SetWifiMode", [266] = "Req_OTAActivate", [270] = "Req_WifiSetPs", [271] = "Req_WifiGetPs", [272] = "Req_OTABegin", [273] = "Req_OTAWrite", [274] = "Req_OTAEnd", [275] = "Req_WifiSetMaxTxPower", [276] = "Req_WifiGetMaxTxPower", [277] = "Req_ConfigHeartbeat", [278] = "Req_WifiInit", [279] = "Req_WifiDeinit", [280] = "Req_WifiStart", [281] = "Req_WifiStop", [282] = "Req_WifiConnect", [283] = "Req_WifiDisconnect", [284] = "Req_WifiSetConfig", [285] = "Req_WifiGetConfig", [286] = "Req_WifiScanStart", [287] = "Req_WifiScanStop", [288] = "Req_WifiScanGetApNum", [289] = "Req_WifiScanGetApRecords", [290] = "Req_WifiClearApList", [334] = "Req_WifiSetCountryCode", [335] = "Req_WifiGetCountryCode", [341] = "Req_WifiStaGetRssi", [350] = "Req_GetCoprocessorFwVersion", [351] = "Req_WifiScanGetApRecord", [352] = "Req_SetDhcpDnsStatus", [353] = "Req_GetDhcpDnsStatus", [512] = "Resp_Base", [513] = "Resp_GetMACAddress", [514] = "Resp_SetMacAddress", [515] = "Resp_GetWifiMode", [516] = "Resp_SetWifiMode", [522] = "Resp_OTAActivate", [526] = "Resp_WifiSetPs", [527] = "Resp_WifiGetPs", [528] = "Resp_OTABegin", [529] = "Resp_OTAWrite", [530] = "Resp_OTAEnd", [531] = "Resp_WifiSetMaxTxPower", [532] = "Resp_WifiGetMaxTxPower", [533] = "Resp_ConfigHeartbeat", [534] = "Resp_WifiInit", [535] = "Resp_WifiDeinit", [536] = "Resp_WifiStart", [537] = "Resp_WifiStop", [538] = "Resp_WifiConnect", [539] = "Resp_WifiDisconnect", [540] = "Resp_WifiSetConfig", [541] = "Resp_WifiGetConfig", [542] = "Resp_WifiScanStart", [543] = "Resp_WifiScanStop", [544] = "Resp_WifiScanGetApNum", [545] = "Resp_WifiScanGetApRecords", [546] = "Resp_WifiClearApList", [590] = "Resp_WifiSetCountryCode", [591] = "Resp_WifiGetCountryCode", [597] = "Resp_WifiStaGetRssi", [606] = "Resp_GetCoprocessorFwVersion", [607] = "Resp_WifiScanGetApRecord", [608] = "Resp_SetDhcpDnsStatus", [609] = "Resp_GetDhcpDnsStatus", [768] = "Event_Base", [769] = "Event_ESPInit", [770] = "Event_Heartbeat", [771] = "Event_AP_StaConnected", [772] = "Event_AP_StaDisconnected", [773] = "Event_WifiEventNoArgs", [774] = "Event_StaScanDone", [775] = "Event_StaConnected", [776] = "Event_StaDisconnected", [777] = "Event_DhcpDnsStatus" },
    },
  },
}

-- esp_hosted.pb.<key>: "<field name>:<kind>" -> key
local PB_KEYS = {
  ["aid:int32"] = "aid_int32",
  ["aid:uint32"] = "aid_uint32",
  ["ant:int32"] = "ant",
  ["authmode:int32"] = "authmode",
  ["band_mode:int32"] = "band_mode",
  ["bandwidth:uint32"] = "bandwidth",
  ["bitmask:uint32"] = "bitmask",
  ["block:bool"] = "block",
  ["bssid:bytes"] = "bssid_bytes",
  ["bssid:string"] = "bssid_string",
  ["bw:int32"] = "bw",
  ["channel:uint32"] = "channel",
  ["chnl:int32"] = "chnl_int32",
  ["chnl:uint32"] = "chnl_uint32",
  ["config_set:int32"] = "config_set",
  ["count:uint32"] = "count",
  ["country:bytes"] = "country",
  ["dhcp_gw:bytes"] = "dhcp_gw",
  ["dhcp_ip:bytes"] = "dhcp_ip",
  ["dhcp_nm:bytes"] = "dhcp_nm",
  ["dhcp_up:int32"] = "dhcp_up",
  ["dns_ip:bytes"] = "dns_ip",
  ["dns_type:int32"] = "dns_type",
  ["dns_up:int32"] = "dns_up",
  ["duration:int32"] = "duration",
  ["element_id:int32"] = "element_id",
  ["enable:bool"] = "enable",
  ["event_id:int32"] = "event_id",
  ["feature:uint32"] = "feature",
  ["group_cipher:int32"] = "group_cipher",
  ["hb_num:int32"] = "hb_num",
  ["home_chan_dwell_time:uint32"] = "home_chan_dwell_time",
  ["idx:int32"] = "idx",
  ["ieee80211d_enabled:bool"] = "ieee80211d_enabled",
  ["iface:int32"] = "iface",
  ["init_data:bytes"] = "init_data",
  ["is_mesh_child:bool"] = "is_mesh_child",
  ["is_wpa3_supported:bool"] = "is_wpa3_supported",
  ["length:int32"] = "length",
  ["listen_interval:int32"] = "listen_interval",
  ["mac:bytes"] = "mac",
  ["major1:uint32"] = "major1",
  ["major2:uint32"] = "major2",
  ["max_conn:int32"] = "max_conn",
  ["minor:uint32"] = "minor",
  ["minor1:uint32"] = "minor1",
  ["mode:int32"] = "mode",
  ["name:string"] = "name",
  ["net_link_up:int32"] = "net_link_up",
  ["num:uint32"] = "num",
  ["number:int32"] = "number_int32",
  ["number:uint32"] = "number_uint32",
  ["ota_data:bytes"] = "ota_data",
  ["pairwise_cipher:int32"] = "pairwise_cipher",
  ["patch1:uint32"] = "patch1",
  ["payload:bytes"] = "payload",
  ["power:int32"] = "power",
  ["primary:uint32"] = "primary",
  ["pwd:bytes"] = "pwd_bytes",
  ["pwd:string"] = "pwd_string",
  ["reason:uint32"] = "reason",
  ["resp:int32"] = "resp",
  ["rev_patch1:uint32"] = "rev_patch1",
  ["rev_patch2:uint32"] = "rev_patch2",
  ["rssi:int32"] = "rssi",
  ["scan_id:uint32"] = "scan_id",
  ["scan_type:int32"] = "scan_type",
  ["sec_prot:int32"] = "sec_prot",
  ["second:int32"] = "second",
  ["show_hidden:bool"] = "show_hidden",
  ["ssid:bytes"] = "ssid_bytes",
  ["ssid:string"] = "ssid_string",
  ["ssid_hidden:bool"] = "ssid_hidden",
  ["ssid_len:uint32"] = "ssid_len",
  ["status:uint32"] = "status",
  ["type:int32"] = "type",
  ["vendor_oui:bytes"] = "vendor_oui",
  ["vendor_oui_type:int32"] = "vendor_oui_type",
  ["wifi_curr_tx_power:int32"] = "wifi_curr_tx_power",
  ["wifi_max_tx_power:int32"] = "wifi_max_tx_power",
}
-- generated:end

---------------------------------------------------------------------------------------------------
local esp = Proto("esp_hosted", "Espressif esp-hosted")
local CHECKSUM_STATES = { [0] = "ok", [1] = "bad", [2] = "not used" }
local F = {
  variant = ProtoField.uint8("esp_hosted.variant", "Variant", base.DEC, { [0] = "fg", [1] = "ng", [2] = "mcu" }),
  if_type = ProtoField.uint8("esp_hosted.if_type", "Interface type", base.DEC, nil, 0x0f),
  if_num = ProtoField.uint8("esp_hosted.if_num", "Interface number", base.DEC, nil, 0xf0),
  iface = ProtoField.string("esp_hosted.iface", "Interface"),
  flags = ProtoField.uint8("esp_hosted.flags", "Flags", base.HEX),
  more = ProtoField.bool("esp_hosted.flags.more", "More fragments", 8, nil, 0x01),
  wakeup = ProtoField.bool("esp_hosted.flags.wakeup", "Wake-up packet", 8, nil, 0x02),
  ps_started = ProtoField.bool("esp_hosted.flags.ps_started", "Power save started", 8, nil, 0x04),
  ps_stopped = ProtoField.bool("esp_hosted.flags.ps_stopped", "Power save stopped", 8, nil, 0x08),
  packet_type = ProtoField.uint8("esp_hosted.packet_type", "Packet type", base.DEC, NG_PACKET_TYPES),
  len = ProtoField.uint16("esp_hosted.len", "Payload length"),
  offset = ProtoField.uint16("esp_hosted.offset", "Payload offset"),
  checksum = ProtoField.uint16("esp_hosted.checksum", "Checksum", base.HEX),
  checksum_ok = ProtoField.bool("esp_hosted.checksum_ok", "Checksum good"),
  checksum_state = ProtoField.uint8("esp_hosted.checksum_state", "Checksum state (decoder)", base.DEC, CHECKSUM_STATES, 0x03),
  fragment = ProtoField.bool("esp_hosted.fragment", "Fragment of a reassembled message", 8, nil, 0x04),
  seq = ProtoField.uint16("esp_hosted.seq", "Sequence number"),
  throttle = ProtoField.uint8("esp_hosted.throttle", "Throttle command", base.DEC, { [0] = "none", [1] = "on", [2] = "off", [3] = "reserved" }, 0x03),
  pkt_type = ProtoField.uint8("esp_hosted.pkt_type", "HCI/priv packet type", base.HEX),
  payload = ProtoField.bytes("esp_hosted.payload", "Payload"),
  reassembled = ProtoField.bool("esp_hosted.reassembled", "Reassembled message"),
  fragments = ProtoField.uint8("esp_hosted.fragments", "Fragments"),
  endpoint = ProtoField.string("esp_hosted.ctrl.endpoint", "Endpoint"),
  msg = ProtoField.string("esp_hosted.ctrl.msg", "Message"),
  msg_type = ProtoField.uint32("esp_hosted.ctrl.msg_type", "Message type"),
  msg_id = ProtoField.uint32("esp_hosted.ctrl.msg_id", "Message id"),
  uid = ProtoField.int64("esp_hosted.ctrl.uid", "UID"),
  request_in = ProtoField.framenum("esp_hosted.ctrl.request_in", "Request in frame", base.NONE, frametype.REQUEST),
  response_in = ProtoField.framenum("esp_hosted.ctrl.response_in", "Response in frame", base.NONE, frametype.RESPONSE),
  pb_field = ProtoField.bytes("esp_hosted.pb.unknown", "Field not in the schema"),
  ng_cmd = ProtoField.string("esp_hosted.ng.cmd", "NG command or event"),
  ng_status = ProtoField.uint8("esp_hosted.ng.status", "Status"),
  ng_seq = ProtoField.uint16("esp_hosted.ng.seq", "Command sequence number"),
  init = ProtoField.bool("esp_hosted.init", "INIT / boot-up event"),
  init_tag = ProtoField.string("esp_hosted.init.tag", "TLV"),
  init_value = ProtoField.bytes("esp_hosted.init.value", "Value"),
}
local PBF = {}
local MAKE = {
  int32 = ProtoField.int32, uint32 = ProtoField.uint32, int64 = ProtoField.int64, uint64 = ProtoField.uint64,
  bool = ProtoField.bool, bytes = ProtoField.bytes, string = ProtoField.string,
}
local fields = {}
for _, f in pairs(F) do table.insert(fields, f) end
for nk, key in pairs(PB_KEYS) do
  local kind = nk:match(":(.+)$")
  PBF[nk] = MAKE[kind]("esp_hosted.pb." .. key, nk:match("^(.-):"))
  table.insert(fields, PBF[nk])
end
esp.fields = fields
local e_checksum = ProtoExpert.new("esp_hosted.checksum_bad", "Checksum mismatch", expert.group.CHECKSUM, expert.severity.ERROR)
local e_malformed = ProtoExpert.new("esp_hosted.malformed", "Malformed esp-hosted data", expert.group.MALFORMED, expert.severity.ERROR)
esp.experts = { e_checksum, e_malformed }

local eth = Dissector.get("eth_withoutfcs")
local hci = Dissector.get("hci_h4")

-- Request/response pairs, found on the first pass: frame number -> frame number.
local pending, req_of, resp_of = {}, {}, {}
function esp.init()
  pending, req_of, resp_of = {}, {}, {}
end

local function pair(pinfo, tree, key, is_request)
  if not pinfo.visited then
    if is_request then
      pending[key] = pending[key] or {}
      table.insert(pending[key], pinfo.number)
    elseif pending[key] and #pending[key] > 0 then
      local req = table.remove(pending[key], 1)
      req_of[pinfo.number] = req
      resp_of[req] = pinfo.number
    end
  end
  if req_of[pinfo.number] then tree:add(F.request_in, req_of[pinfo.number]) end
  if resp_of[pinfo.number] then tree:add(F.response_in, resp_of[pinfo.number]) end
end

---------------------------------------------------------------------------------------------------
-- Protobuf wire format, walked with the generated tables.

-- A varint at `at`: low and high 32 bits and the next offset, or nil when it runs past `stop`.
local function varint(tvb, at, stop)
  local lo, hi, shift = 0, 0, 0
  while at < stop and shift < 70 do
    local b = tvb(at, 1):uint()
    at = at + 1
    local v = bit32.band(b, 0x7f)
    if shift < 28 then
      lo = lo + v * 2 ^ shift
    elseif shift == 28 then
      lo = lo + bit32.band(v, 0x0f) * 2 ^ 28
      hi = hi + bit32.rshift(v, 4)
    else
      hi = hi + v * 2 ^ (shift - 32)
    end
    shift = shift + 7
    if b < 0x80 then return lo % 2 ^ 32, hi % 2 ^ 32, at end
  end
  return nil
end

local function scalar(kind, lo, hi)
  if kind == "int32" then return (lo >= 2 ^ 31) and (lo - 2 ^ 32) or lo end
  if kind == "uint32" then return lo end
  if kind == "bool" then return lo ~= 0 end
  if kind == "int64" then return Int64(lo, hi) end
  if kind == "uint64" then return UInt64(lo, hi) end
  return lo
end

local decode_message

local function add_field(schema, f, tvb, s, e, tree, lo, hi, depth)
  local item
  if f.kind == "message" then
    item = tree:add(esp, tvb(s, e - s), f.name .. " (" .. (f.ref or "?") .. ")")
    decode_message(schema, f.ref, tvb, s, e, item, depth + 1)
    return nil
  end
  local pf = PBF[f.name .. ":" .. f.kind]
  if f.kind == "bytes" then
    item = tree:add(pf, tvb(s, e - s))
  elseif f.kind == "string" then
    item = tree:add(pf, tvb(s, e - s), tvb(s, e - s):string(ENC_UTF_8))
  else
    item = tree:add(pf, tvb(s, e - s), scalar(f.kind, lo, hi))
    local names = f.ref and schema.enums[f.ref]
    if names and names[lo] then item:append_text(" (" .. names[lo] .. ")") end
  end
  return item
end

-- Walks the fields of message `mname` in tvb[s, e); unknown fields are shown raw.
decode_message = function(schema, mname, tvb, s, e, tree, depth)
  local def = schema.messages[mname] or {}
  if depth > 8 then return end
  while s < e do
    local klo, khi, at = varint(tvb, s, e)
    if not klo then tree:add_proto_expert_info(e_malformed, "protobuf key cut short"); return end
    local fno = bit32.rshift(klo, 3) + khi * 2 ^ 29
    local wt = bit32.band(klo, 7)
    local f = def[fno]
    if wt == 0 then
      local lo, hi, nx = varint(tvb, at, e)
      if not lo then tree:add_proto_expert_info(e_malformed, "protobuf varint cut short"); return end
      if f and f.kind ~= "message" and f.kind ~= "bytes" and f.kind ~= "string" then add_field(schema, f, tvb, at, nx, tree, lo, hi, depth)
      else tree:add(F.pb_field, tvb(s, nx - s)):append_text(string.format(" (field %d, varint)", fno)) end
      s = nx
    elseif wt == 2 then
      local n, _, vs = varint(tvb, at, e)
      if not n or vs + n > e then tree:add_proto_expert_info(e_malformed, "protobuf length runs past the message"); return end
      if f and (f.kind == "message" or f.kind == "bytes" or f.kind == "string") then add_field(schema, f, tvb, vs, vs + n, tree, 0, 0, depth)
      else tree:add(F.pb_field, tvb(s, vs + n - s)):append_text(string.format(" (field %d, %d bytes)", fno, n)) end
      s = vs + n
    elseif wt == 5 or wt == 1 then
      local n = (wt == 5) and 4 or 8
      if at + n > e then tree:add_proto_expert_info(e_malformed, "protobuf fixed field cut short"); return end
      tree:add(F.pb_field, tvb(s, at + n - s)):append_text(string.format(" (field %d, fixed%d)", fno, n * 8))
      s = at + n
    else
      tree:add_proto_expert_info(e_malformed, "protobuf wire type " .. wt)
      return
    end
  end
end

-- The envelope (CtrlMsg / Rpc): msg_type 1, msg_id 2, uid 3, payload at field number = msg_id.
local function control_envelope(schema_key, tvb, s, e, tree)
  local schema = SCHEMA[schema_key]
  local msg_type, msg_id, uid = 0, 0, 0
  local at = s
  local payload_s, payload_e, payload_no
  while at < e do
    local klo, khi, p = varint(tvb, at, e)
    if not klo then break end
    local fno = bit32.rshift(klo, 3) + khi * 2 ^ 29
    local wt = bit32.band(klo, 7)
    if wt == 0 then
      local lo, hi, nx = varint(tvb, p, e)
      if not lo then break end
      if fno == 1 then msg_type = lo; tree:add(F.msg_type, tvb(p, nx - p), lo):append_text(" (" .. (schema.types[lo] or "?") .. ")")
      elseif fno == 2 then msg_id = lo; tree:add(F.msg_id, tvb(p, nx - p), lo)
      elseif fno == 3 then uid = lo; tree:add(F.uid, tvb(p, nx - p), Int64(lo, hi)) end
      at = nx
    elseif wt == 2 then
      local n, _, vs = varint(tvb, p, e)
      if not n or vs + n > e then break end
      payload_s, payload_e, payload_no = vs, vs + n, fno
      at = vs + n
    else
      break
    end
  end
  local base = RESPONSE_OFFSET[schema_key]
  local name = schema.ids[msg_id] or ((msg_id >= 3 * base) and "Event_" or (msg_id >= 2 * base) and "Resp_" or "Req_") .. msg_id
  tree:add(F.msg, tvb(s, e - s), name)
  if payload_s then
    local mname = schema.payload[payload_no]
    local sub = tree:add(esp, tvb(payload_s, payload_e - payload_s), mname and mname:gsub("^%w+%.", "") or ("payload field " .. payload_no))
    decode_message(schema, mname or "", tvb, payload_s, payload_e, sub, 0)
  end
  return name, msg_type, msg_id, uid
end

-- Serial-interface TLV: tag 1 endpoint, tag 2 protobuf; u16 little-endian lengths.
local function control(variant, tvb, s, e, pinfo, tree)
  local at, name = s, nil
  while at + 3 <= e do
    local tag, n = tvb(at, 1):uint(), tvb(at + 1, 2):le_uint()
    if at + 3 + n > e then tree:add_proto_expert_info(e_malformed, "serial TLV runs past the message"); break end
    if tag == 1 then
      tree:add(F.endpoint, tvb(at + 3, n))
    elseif tag == 2 then
      local key = variant == "mcu" and "mcu" or "fg"
      local mtype, mid
      name, mtype, mid = control_envelope(key, tvb, at + 3, at + 3 + n, tree)
      if mtype == 1 then pair(pinfo, tree, key .. ":" .. mid, true)
      elseif mtype == 2 then pair(pinfo, tree, key .. ":" .. (mid - RESPONSE_OFFSET[key]), false) end
    end
    at = at + 3 + n
  end
  return name and ("ctrl " .. name) or "ctrl (no protobuf)"
end

local function ng_command(packet_type, tvb, s, e, pinfo, tree)
  if packet_type == 3 then
    if e - s < 4 then return "event (short)" end
    local code = tvb(s, 1):uint()
    local name = NG_EVENTS[code] or ("EVENT_" .. code)
    tree:add(F.ng_cmd, tvb(s, 1), name)
    tree:add(F.ng_status, tvb(s + 1, 1))
    return "event " .. name
  end
  if e - s < 8 then return "command (short)" end
  local code, seq = tvb(s, 1):uint(), tvb(s + 4, 2):le_uint()
  local name = NG_COMMANDS[code] or ("CMD_" .. code)
  tree:add(F.ng_cmd, tvb(s, 1), name)
  tree:add(F.ng_status, tvb(s + 1, 1))
  tree:add_le(F.ng_seq, tvb(s + 4, 2))
  pair(pinfo, tree, "ng:" .. code .. ":" .. seq, packet_type == 1)
  return "cmd " .. name
end

local function init_event(set, tvb, s, e, tree)
  tree:add(F.init, tvb(s, e - s), true)
  local at = s
  while at + 2 <= e do
    local tag, n = tvb(at, 1):uint(), tvb(at + 1, 1):uint()
    if at + 2 + n > e then tree:add_proto_expert_info(e_malformed, "INIT TLV runs past the event"); break end
    local t = tree:add(F.init_tag, tvb(at, 2 + n), INIT_TAGS[set][tag] or string.format("tag 0x%02x", tag))
    if n > 0 then t:add(F.init_value, tvb(at + 2, n)) end
    at = at + 2 + n
  end
  return "INIT"
end

-- The content of a whole message on interface `iface`.
local function content(variant, iface, pkt, packet_type, tvb, s, e, pinfo, tree, root)
  if e <= s then return iface .. " empty" end
  if iface == "serial" then return control(variant, tvb, s, e, pinfo, root) end
  if (iface == "sta" or iface == "ap" or iface == "eth") and variant == "ng" and packet_type >= 1 and packet_type <= 3 then
    return ng_command(packet_type, tvb, s, e, pinfo, root)
  end
  if iface == "sta" or iface == "ap" or iface == "eth" then
    if eth then eth:call(tvb(s, e - s):tvb(), pinfo, tree) end
    return nil
  end
  if iface == "hci" and hci then
    local b = ByteArray.new()
    b:set_size(1)
    b:set_index(0, pkt)
    b:append(tvb(s, e - s):bytes())
    pcall(function() hci:call(b:tvb("HCI packet"), pinfo, tree) end)
    return "HCI"
  end
  if iface == "priv" and e - s >= 2 and ((pkt == 0x33 and tvb(s, 1):uint() == 0x22) or (pkt == 0 and tvb(s, 1):uint() == 0)) then
    local len = tvb(s + 1, 1):uint()
    return init_event(tvb(s, 1):uint() == 0x22 and "mcu" or "fg", tvb, s + 2, math.min(e, s + 2 + len), root)
  end
  if iface == "internal" and e - s >= 8 and tvb(s, 1):uint() == 1 then
    return init_event("ng", tvb, s + 8, math.min(e, s + 8 + tvb(s + 4, 1):uint()), root)
  end
  return string.format("%s %d bytes", iface, e - s)
end

local function dir_text(pinfo)
  if pinfo.p2p_dir == 0 then return "host→ESP " elseif pinfo.p2p_dir == 1 then return "ESP→host " end
  return ""
end

function esp.dissector(tvb, pinfo, tree)
  pinfo.cols.protocol = "ESP-HOSTED"
  local root = tree:add(esp, tvb(), "Espressif esp-hosted")
  if tvb:len() < 4 or tvb(0, 1):uint() ~= 1 or VARIANTS[tvb(1, 1):uint()] == nil then
    root:add_proto_expert_info(e_malformed, "not an esp_hosted PDU (version 1)")
    return
  end
  local variant = VARIANTS[tvb(1, 1):uint()]
  local kind = tvb(2, 1):uint()
  root:add(F.variant, tvb(1, 1))
  root:append_text(" (" .. TITLES[variant] .. ")")
  local info
  if kind == 1 then
    if tvb:len() < 8 then root:add_proto_expert_info(e_malformed, "message PDU too short"); return end
    local if_type = tvb(4, 1):uint()
    local iface = IFACES[variant][if_type] or "unknown"
    root:add(F.reassembled, tvb(2, 1), true)
    root:add(F.if_type, tvb(4, 1))
    root:add(F.iface, tvb(4, 1), iface)
    root:add(F.pkt_type, tvb(5, 1))
    if variant == "ng" then root:add(F.packet_type, tvb(6, 1)) end
    root:add(F.fragments, tvb(7, 1))
    root:add(F.payload, tvb(8))
    info = content(variant, iface, tvb(5, 1):uint(), tvb(6, 1):uint(), tvb, 8, tvb:len(), pinfo, tree, root)
    info = info and (info .. string.format(" (%d fragments)", tvb(7, 1):uint()))
  else
    local L = LAYOUT[variant]
    local w = 4
    if tvb:len() < w + 12 then root:add_proto_expert_info(e_malformed, "shorter than the 12-byte header"); return end
    local if_type = bit32.band(tvb(w, 1):uint(), 0x0f)
    local iface = IFACES[variant][if_type] or "unknown"
    local flags = tvb(w + 1, 1):uint()
    local len, offset = tvb(w + L.len, 2):le_uint(), tvb(w + L.offset, 2):le_uint()
    root:add(F.if_type, tvb(w, 1))
    root:add(F.if_num, tvb(w, 1))
    root:add(F.iface, tvb(w, 1), iface)
    local ft = root:add(F.flags, tvb(w + 1, 1))
    ft:add(F.more, tvb(w + 1, 1))
    if variant == "mcu" then
      ft:add(F.wakeup, tvb(w + 1, 1)); ft:add(F.ps_started, tvb(w + 1, 1)); ft:add(F.ps_stopped, tvb(w + 1, 1))
    end
    if L.packet_type then root:add(F.packet_type, tvb(w + L.packet_type, 1)) end
    root:add_le(F.len, tvb(w + L.len, 2))
    root:add_le(F.offset, tvb(w + L.offset, 2))
    local checksum = tvb(w + L.checksum, 2):le_uint()
    root:add_le(F.checksum, tvb(w + L.checksum, 2))
    if L.seq then root:add_le(F.seq, tvb(w + L.seq, 2)) end
    if L.throttle then root:add(F.throttle, tvb(w + L.throttle, 1)) end
    root:add(F.pkt_type, tvb(w + 11, 1))
    local stop = w + offset + len
    if offset < 12 or stop > tvb:len() then
      root:add_proto_expert_info(e_malformed, string.format("offset %d + len %d runs past the %d-byte frame", offset, len, tvb:len() - w))
      info = "malformed frame"
    else
      local sum = 0
      for i = w, stop - 1 do
        if i ~= w + L.checksum and i ~= w + L.checksum + 1 then sum = sum + tvb(i, 1):uint() end
      end
      local ok = (sum % 65536) == checksum
      local ci = root:add(F.checksum_ok, tvb(w + L.checksum, 2), ok)
      local state = bit32.band(tvb(3, 1):uint(), 0x03)
      local fragment = bit32.band(tvb(3, 1):uint(), 0x04) ~= 0
      root:add(F.checksum_state, tvb(3, 1))
      root:add(F.fragment, tvb(3, 1))
      if not ok and state ~= 2 then ci:add_proto_expert_info(e_checksum) end
      if len > 0 then root:add(F.payload, tvb(w + offset, len)) end
      if not ok and state ~= 2 then
        info = string.format("%s %d bytes, checksum mismatch", iface, len)
      elseif bit32.band(flags, 1) ~= 0 or fragment then
        info = string.format("%s fragment %d bytes%s", iface, len, bit32.band(flags, 1) ~= 0 and " (more follows)" or " (last)")
      else
        local packet_type = L.packet_type and tvb(w + L.packet_type, 1):uint() or 0
        info = content(variant, iface, tvb(w + 11, 1):uint(), packet_type, tvb, w + offset, stop, pinfo, tree, root)
      end
    end
  end
  if info then pinfo.cols.info = dir_text(pinfo) .. info end
end
