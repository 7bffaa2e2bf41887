/**
 * The generated forms of the .proto files are up to date: descriptors.generated.ts (what the
 * decoder loads) and the tables inside wireshark/esp-hosted.lua. Run
 * `node --import tsx scripts/esp-hosted-proto.ts` after editing a .proto.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { DESCRIPTORS_PATH, descriptorsText, LUA_PATH, luaWithTables } from '../../../scripts/esp-hosted-proto.ts';

it('descriptors.generated.ts matches the .proto files', () => {
  assert.equal(readFileSync(DESCRIPTORS_PATH, 'utf8'), descriptorsText(), 'stale: run node --import tsx scripts/esp-hosted-proto.ts');
});

it('the Lua schema tables match the .proto files', () => {
  const lua = readFileSync(LUA_PATH, 'utf8');
  assert.equal(luaWithTables(lua), lua, 'stale: run node --import tsx scripts/esp-hosted-proto.ts');
  assert.match(lua, /\[201\] = "fg\.CtrlMsg_Resp_GetMacAddress"/);
  assert.match(lua, /\[775\] = "mcu\.Rpc_Event_StaConnected"/);
});
