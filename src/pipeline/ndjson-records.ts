/**
 * NDJSON record streams as an input: one record per line in the JSON form of src/records/json.ts.
 * This is the simulator's "transaction stream" output and `decode --json`'s output, so it is also an
 * input: a transaction stream read back goes through the link stage like any other capture. A link
 * protocol's own records (kind "link") are derived from the transactions and skipped: the link stage
 * makes them again (the frames of the buddy link are dropped by the pipeline for the same reason).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { SourceError } from '../sources/errors.ts';
import { recordFromJson, RecordJsonError } from '../records/json.ts';
import type { BuddyRecord } from '../records/types.ts';

const BATCH = 1024;

export async function* readNdjsonRecords(path: string, stdin: Readable = process.stdin): AsyncGenerator<BuddyRecord[]> {
  const name = path === '-' ? '<stdin>' : path;
  const input = path === '-' ? stdin : createReadStream(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let batch: BuddyRecord[] = [];
  let n = 0;
  let lastStart = -Infinity;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new SourceError(name, `line ${n}`, 'not valid JSON');
      }
      if (value !== null && typeof value === 'object' && 'kind' in value && value.kind === 'link') continue;
      let rec: BuddyRecord;
      try {
        rec = recordFromJson(value);
      } catch (err) {
        if (err instanceof RecordJsonError) throw new SourceError(name, `line ${n}`, err.message);
        throw err;
      }
      if (rec.startNs < lastStart) throw new SourceError(name, `line ${n}`, `time goes backwards (${rec.startNs} ns after ${lastStart} ns)`);
      lastStart = rec.startNs;
      batch.push(rec);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    if (batch.length) yield batch;
    batch = [];
    if (err instanceof SourceError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new SourceError(name, n ? `line ${n}` : 'open', e.code === 'ENOENT' ? 'no such file' : e.message);
  }
  if (batch.length) yield batch;
}
