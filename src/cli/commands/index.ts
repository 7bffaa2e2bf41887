/** Every command, in the order --help lists them. */
import type { CommandModule } from 'yargs';
import { captureCommand } from './capture.ts';
import { decodeCommand } from './decode.ts';
import { infoCommand } from './info.ts';
import { protocolCommand } from './protocol.ts';
import { simulateCommand } from './simulate.ts';
import { viewCommand } from './view.ts';
import { wiresharkCommand } from './wireshark.ts';

// yargs' CommandModule generics are invariant in their argument types; the list only needs the shape.
type AnyCommand = CommandModule<object, never>;
export const commands: readonly AnyCommand[] = [
  decodeCommand as unknown as AnyCommand,
  viewCommand as unknown as AnyCommand,
  captureCommand as unknown as AnyCommand,
  infoCommand as unknown as AnyCommand,
  simulateCommand as unknown as AnyCommand,
  protocolCommand as AnyCommand,
  wiresharkCommand as AnyCommand,
];
