/**
 * Every command, in the order --help lists them, each loaded only when needed: a run loads the one
 * it names (Wireshark starts the extcap several times per capture, so start-up time counts), and
 * --help or an unknown name loads them all.
 */
import type { CommandModule } from 'yargs';

// yargs' CommandModule generics are invariant in their argument types; the list only needs the shape.
export type AnyCommand = CommandModule<object, never>;

const LOADERS: Readonly<Record<string, () => Promise<AnyCommand>>> = {
  decode: async () => (await import('./decode.ts')).decodeCommand as unknown as AnyCommand,
  view: async () => (await import('./view.ts')).viewCommand as unknown as AnyCommand,
  capture: async () => (await import('./capture.ts')).captureCommand as unknown as AnyCommand,
  info: async () => (await import('./info.ts')).infoCommand as unknown as AnyCommand,
  simulate: async () => (await import('./simulate.ts')).simulateCommand as unknown as AnyCommand,
  replay: async () => (await import('./replay.ts')).replayCommand as unknown as AnyCommand,
  protocol: async () => (await import('./protocol.ts')).protocolCommand as AnyCommand,
  wireshark: async () => (await import('./wireshark.ts')).wiresharkCommand as AnyCommand,
  sigrok: async () => (await import('./sigrok.ts')).sigrokCommand as AnyCommand,
  saleae: async () => (await import('./saleae.ts')).saleaeCommand as AnyCommand,
  extcap: async () => (await import('./extcap.ts')).extcapCommand as AnyCommand,
};

export const COMMAND_NAMES: readonly string[] = Object.keys(LOADERS);

/** The named command alone when `name` is one, otherwise all of them (help, suggestions). */
export async function loadCommands(name: string | undefined): Promise<AnyCommand[]> {
  const one = name !== undefined && Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  return one ? [await one()] : Promise.all(Object.values(LOADERS).map((load) => load()));
}
