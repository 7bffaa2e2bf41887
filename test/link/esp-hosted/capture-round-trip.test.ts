/**
 * From logic-analyzer files back to esp-hosted records: one session per variant is rendered to
 * signals in the variant's SPI mode (FG and NG mode 2, MCU mode 3), with handshake on READY and
 * data-ready on IRQ, written as VCD, sigrok .sr and Saleae CSV by the existing exporters, read
 * back, decoded by the SPI stage with that explicit mode, and fed to the esp-hosted decoder. The
 * same records must come out as from the transactions themselves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeSaleaeCsv } from '../../../src/exports/saleae-csv.ts';
import { writeSigrokSr } from '../../../src/exports/sigrok-sr.ts';
import { writeVcd } from '../../../src/exports/vcd.ts';
import { EspHostedDecoder } from '../../../src/link/esp-hosted/decoder.ts';
import { summaryLine } from '../../../src/link/esp-hosted/describe.ts';
import type { EspRecord } from '../../../src/link/esp-hosted/records.ts';
import { spiModeOf, VARIANT_IDS, VARIANTS } from '../../../src/link/esp-hosted/variants.ts';
import type { BuddyRecord } from '../../../src/records/types.ts';
import { openSource } from '../../../src/sources/open.ts';
import { decodeSpi } from '../../../src/spi/decode.ts';
import { RENDER_MAP, renderSpi } from '../../../src/spi/render.ts';
import { modeNumber } from '../../../src/spi/types.ts';
import { signals, tempDir } from '../../sources/helpers.ts';
import { decodeSession, renderItems, SESSIONS } from './sessions.ts';

const SIZE = 160;

async function* once<T>(x: T[]): AsyncGenerator<T[]> {
  yield x;
}

/** The view compared across paths: everything but the times. */
function view(rs: readonly EspRecord[]): string[] {
  return rs.map((r) => [r.kind, r.txn ?? '-', r.dir ?? '-', summaryLine(r), r.kind === 'frame' ? Buffer.from(r.wire).toString('hex') : ''].join(' | '));
}

async function decodeFile(path: string, variant: (typeof VARIANT_IDS)[number]): Promise<{ recs: EspRecord[]; starts: number[] }> {
  const src = signals(await openSource(path));
  const dec = new EspHostedDecoder(variant);
  const out: EspRecord[] = [];
  const starts: number[] = [];
  for await (const batch of decodeSpi(src.info, src.batches, RENDER_MAP, { mode: spiModeOf(VARIANTS[variant]) })) {
    for (const r of batch as BuddyRecord[]) {
      if (r.kind === 'txn') {
        starts.push(r.startNs);
        out.push(...dec.transaction({ txn: r.txn, startNs: r.startNs, endNs: r.endNs, mosi: r.mosi, miso: r.miso }));
      } else if (r.kind === 'line' && (r.line === 'ready' || r.line === 'irq')) {
        out.push(...dec.line({ line: r.line === 'ready' ? 'handshake' : 'data-ready', level: r.level, timeNs: r.startNs }));
      } else {
        assert.fail(`unexpected SPI-stage record ${r.kind}${r.kind === 'anomaly' ? ` ${r.code}: ${r.detail}` : ''}`);
      }
    }
  }
  out.push(...dec.finish());
  return { recs: out, starts };
}

for (const variant of VARIANT_IDS) {
  describe(`${variant}: VCD, .sr and Saleae CSV decode back to the same records`, () => {
    const session = SESSIONS[variant](SIZE);
    const want = decodeSession(variant, session.items);
    const txnStarts = session.items.filter((i) => i.kind === 'txn').map((i) => i.startNs);
    const t = tempDir();

    it(`renders in SPI mode ${modeNumber(spiModeOf(VARIANTS[variant]))}`, () => {
      assert.equal(modeNumber(spiModeOf(VARIANTS[variant])), variant === 'mcu' ? 3 : 2);
      assert.ok(want.some((r) => r.kind === 'frame') && want.some((r) => r.kind === 'line'));
    });

    for (const [ext, write] of [
      ['vcd', (info: Parameters<typeof writeVcd>[0], b: Parameters<typeof writeVcd>[1], p: string) => writeVcd(info, b, p)],
      ['sr', (info: Parameters<typeof writeVcd>[0], b: Parameters<typeof writeVcd>[1], p: string) => writeSigrokSr(info, b, p, { samplerateHz: 50_000_000 })],
      ['csv', (info: Parameters<typeof writeVcd>[0], b: Parameters<typeof writeVcd>[1], p: string) => writeSaleaeCsv(info, b, p)],
    ] as const) {
      it(ext, async () => {
        const path = t.path(`${variant}.${ext}`);
        const { info, batches } = renderSpi(once(renderItems(session.items, variant)), { mode: spiModeOf(VARIANTS[variant]), ...(ext === 'sr' ? { samplePeriodNs: 20 } : {}) });
        await write(info, batches, path);
        const got = await decodeFile(path, variant);
        assert.deepEqual(view(got.recs), view(want));
        got.starts.forEach((s, i) => assert.ok(Math.abs(s - txnStarts[i]) <= 20, `txn ${i} at ${s}, rendered at ${txnStarts[i]}`));
      });
    }

    it('cleans up', () => t.cleanup());
  });
}
