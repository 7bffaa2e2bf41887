/**
 * Installing the extcap: where Wireshark looks for personal extcaps, and the wrapper put there.
 *
 * The folder moved between Wireshark versions, so it is asked of the installed Wireshark first:
 * `tshark -G folders` names it as "Personal Extcap path" from 4.2 on (~/.local/lib/wireshark/extcap
 * on Linux and macOS); before 4.2 there is no such line and extcaps are read from "extcap" under
 * the "Personal configuration" folder (~/.config/wireshark/extcap; checked with tshark 4.0).
 * Without tshark the 4.2+ default is assumed and said so.
 *
 * The wrapper is a small script (a .bat on Windows) that runs this checkout's bin/buddyshark.js
 * with the absolute path of the node running the install: Wireshark starts extcaps with its own
 * environment, where PATH may lack node (a version manager, a desktop launcher).
 *
 * Example:
 *   const where = personalExtcapDir();            // { dir: '/home/me/.config/wireshark/extcap', how: 'tshark 4.0 ...' }
 *   installExtcapWrapper(where.dir, process.execPath, BIN);
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../paths.ts';

/** This checkout's executable entry, what the wrapper runs. */
export { BIN };

export interface ExtcapDir {
  readonly dir: string;
  /** How the folder was found, for the install message. */
  readonly how: string;
}

/** `tshark -G folders` as name -> path ("Personal configuration" -> "/home/me/.config/wireshark"). */
export function parseFolders(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([^:\t][^:]*):\s*(.+?)\s*$/.exec(line);
    if (m && !out.has(m[1].trim())) out.set(m[1].trim(), m[2]);
  }
  return out;
}

/** Picks the personal extcap folder from `tshark -G folders` (null: run nothing, use defaults). */
export function extcapDirFromFolders(folders: Map<string, string> | null, env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform): ExtcapDir {
  const personal = folders?.get('Personal Extcap path');
  if (personal) return { dir: personal, how: 'tshark -G folders: Personal Extcap path' };
  const conf = folders?.get('Personal configuration');
  if (conf) return { dir: join(conf, 'extcap'), how: 'tshark -G folders: Wireshark before 4.2 reads extcaps from the personal configuration folder' };
  if (platform === 'win32') {
    return { dir: join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Wireshark', 'extcap'), how: 'tshark not found: the Windows default' };
  }
  return { dir: join(env.HOME ?? homedir(), '.local', 'lib', 'wireshark', 'extcap'), how: 'tshark not found: the Wireshark 4.2+ default (older versions: use --extcap-dir ~/.config/wireshark/extcap)' };
}

/** Runs `tshark -G folders` with the given environment (HOME decides the personal folders). */
export function tsharkFolders(env: NodeJS.ProcessEnv = process.env): Map<string, string> | null {
  const r = spawnSync('tshark', ['-G', 'folders'], { encoding: 'utf8', env, timeout: 20_000 });
  if (r.status !== 0 || typeof r.stdout !== 'string') return null;
  const folders = parseFolders(r.stdout);
  return folders.size ? folders : null;
}

export function personalExtcapDir(env: NodeJS.ProcessEnv = process.env): ExtcapDir {
  return extcapDirFromFolders(tsharkFolders(env), env);
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The wrapper's file name and text for a platform. */
export function extcapWrapper(node: string, bin: string, platform: NodeJS.Platform = process.platform): { name: string; text: string } {
  if (platform === 'win32') {
    return {
      name: 'buddyshark.bat',
      text: `@echo off\r\nrem buddyshark extcap wrapper, written by "buddyshark wireshark install".\r\n"${node}" "${bin}" extcap %*\r\n`,
    };
  }
  return {
    name: 'buddyshark',
    text:
      '#!/bin/sh\n' +
      '# buddyshark extcap wrapper, written by `buddyshark wireshark install`: Wireshark runs it to\n' +
      '# list and capture the "WiFi Buddy (buddyshark)" interface. It names node by its absolute path\n' +
      "# because Wireshark's environment may not have node on PATH. Install again after moving either.\n" +
      `exec ${shQuote(node)} ${shQuote(bin)} extcap "$@"\n`,
  };
}

export interface ExtcapInstall {
  readonly path: string;
  /** An older, different wrapper was there. */
  readonly replaced: boolean;
}

export function installExtcapWrapper(dir: string, node: string = process.execPath, bin: string = BIN,
  platform: NodeJS.Platform = process.platform): ExtcapInstall {
  const w = extcapWrapper(node, bin, platform);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, w.name);
  const replaced = existsSync(path) && readFileSync(path, 'utf8') !== w.text;
  writeFileSync(path, w.text);
  if (platform !== 'win32') chmodSync(path, 0o755);
  return { path, replaced };
}
