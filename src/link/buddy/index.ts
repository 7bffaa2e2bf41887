/** The buddy link (docs/protocol.md) as a buddyshark link protocol: what the registry lists. */
import type { LinkProtocol } from '../protocol.ts';
import { LinkDecoder } from './decoder.ts';
import { BUDDY_PCAPNG } from './pcapng.ts';
import { linkFrameScore } from './score.ts';
import { BUDDY_VIEWS } from './views.ts';

export const BUDDY: LinkProtocol = {
  id: 'buddy',
  family: 'buddy',
  title: 'buddy link',
  needs: { bothDirections: true, wordBits: 8, modes: [0] },
  lineLabels: {},
  score: linkFrameScore,
  createStage: (opts) => new LinkDecoder(opts),
  views: BUDDY_VIEWS,
  pcapng: BUDDY_PCAPNG,
  wireshark: ['buddyshark.lua'],
  replayUnsupported: null,
  resetAnomaly: 'buddy-reset',
};
