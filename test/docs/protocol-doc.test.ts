import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONTROL_CODES } from '../../src/protocol/control-schema.ts';
import { TRACE_VARIANTS } from '../../src/protocol/trace.ts';
import { DOC, withVectors } from '../../scripts/doc-vectors.ts';

const doc = readFileSync(DOC, 'utf8');

describe('docs/protocol.md', () => {
  it('answers each of the RFC five questions under its own heading', () => {
    for (const q of [
      /^### 1\. Is control in-band or out of band\?$/m,
      /^### 2\. Should the CPU receive trace-proto from the buddy\?$/m,
      /^### 3\. What control messages are necessary\?$/m,
      /^### 4\. How does the buddy signal that data is ready\?$/m,
      /^### 5\. What constraints does future BLE support impose\?$/m,
    ]) assert.match(doc, q);
  });

  it('holds the test vectors exactly as the codec prints them', () => {
    assert.equal(doc, withVectors(doc), 'run: node --import tsx scripts/doc-vectors.ts');
  });

  it('lists every control message with its type code', () => {
    for (const [name, code] of Object.entries(CONTROL_CODES)) {
      const hex = `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
      assert.match(doc, new RegExp(`\\| ${hex} \\| \`${name}\` \\|`), `${name} (${hex}) missing from the catalogue`);
    }
  });

  it('lists every trace variant', () => {
    for (const name of TRACE_VARIANTS) assert.ok(doc.includes(`\`${name}\``), `trace ${name} missing`);
  });

  it('has the efficiency table for 10, 20 and 40 MHz at 64 and 1514 bytes', () => {
    for (const mhz of [10, 20, 40]) for (const size of [64, 1514]) assert.match(doc, new RegExp(`\\| ${mhz} MHz \\| ${size} B \\|`));
  });
});
