/**
 * Writes captures/esp-hosted/{fg,ng,mcu}.sr: one esp-hosted session per variant (the test encoder's,
 * test/link/esp-hosted/sessions.ts: INIT, control request and response, Ethernet, HCI), rendered in
 * the variant's SPI mode at 50 MHz with the channel names an ESP32 host developer gives (SCLK,
 * HANDSHAKE, DATA_READY). Small example inputs for `buddyshark decode` and the README.
 *
 * Run: node --import tsx scripts/esp-hosted-examples.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeSigrokSr } from '../src/exports/sigrok-sr.ts';
import { spiModeOf, VARIANT_IDS, VARIANTS } from '../src/link/esp-hosted/variants.ts';
import { ROOT } from '../src/paths.ts';
import { renderSpi } from '../src/spi/render.ts';
import { ESP_CHANNELS, renderItems, SESSIONS } from '../test/link/esp-hosted/sessions.ts';

async function* once<T>(x: T[]): AsyncGenerator<T[]> {
  yield x;
}

const dir = join(ROOT, 'captures', 'esp-hosted');
mkdirSync(dir, { recursive: true });
for (const variant of VARIANT_IDS) {
  const items = renderItems(SESSIONS[variant](1600).items, variant);
  const { info, batches } = renderSpi(once(items), { mode: spiModeOf(VARIANTS[variant]), samplePeriodNs: 20 });
  const path = join(dir, `${variant}.sr`);
  const samples = await writeSigrokSr({ ...info, channels: ESP_CHANNELS }, batches, path, { samplerateHz: 50_000_000 });
  console.log(`${path}: ${samples} samples`);
}
