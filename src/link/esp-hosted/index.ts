/**
 * esp-hosted as buddyshark link protocols, one per variant (docs/esp-hosted.md): what the registry
 * (src/link/registry.ts) lists.
 */
import type { LinkProtocol } from '../protocol.ts';
import { ESP_PCAPNG } from './pcapng.ts';
import { ESP_HOSTED_SCORERS } from './score.ts';
import { ESP_FAMILY, ESP_LINES, EspHostedStage } from './stage.ts';
import { VARIANT_IDS, VARIANTS, type VariantId } from './variants.ts';
import { ESP_VIEWS } from './views.ts';

function espHosted(variant: VariantId): LinkProtocol {
  const v = VARIANTS[variant];
  return {
    id: `esp-hosted-${variant}`,
    family: ESP_FAMILY,
    title: v.title,
    needs: { bothDirections: true, wordBits: 8, modes: [v.spiMode, ...new Set(Object.values(v.spiModeByChip))].filter((m, k, all) => all.indexOf(m) === k) },
    lineLabels: ESP_LINES,
    score: ESP_HOSTED_SCORERS[variant],
    createStage: () => new EspHostedStage(variant),
    views: ESP_VIEWS,
    pcapng: ESP_PCAPNG,
    wireshark: ['esp-hosted.lua'],
    resetAnomaly: 'esp-reset',
    replayUnsupported: `${v.title} is decoded, but the simulator models only the buddy link: replay needs a buddy-link capture`,
  };
}

export const ESP_HOSTED_PROTOCOLS: readonly LinkProtocol[] = VARIANT_IDS.map(espHosted);
