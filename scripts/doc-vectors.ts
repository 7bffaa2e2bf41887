/**
 * Regenerates the test-vector section of docs/protocol.md from src/protocol/vectors.ts, so the
 * spec's hex dumps are the codec's. Run: node --import tsx scripts/doc-vectors.ts
 * (test/docs/protocol-doc.test.ts fails when the document is out of date.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { VECTORS, formatVector } from '../src/protocol/vectors.ts';

export const DOC = new URL('../docs/protocol.md', import.meta.url);
const START = '<!-- vectors:start -->';
const END = '<!-- vectors:end -->';

export function vectorSection(): string {
  const parts = VECTORS.map((v) => `### ${v.name}\n\n${v.description}\n\n\`\`\`\n${v.hex}\n\`\`\`\n\n\`\`\`\n${formatVector(v)}\n\`\`\`\n`);
  return `${START}\n${parts.join('\n')}${END}`;
}

export function withVectors(doc: string): string {
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error('docs/protocol.md has no vectors markers');
  return doc.slice(0, a) + vectorSection() + doc.slice(b + END.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = readFileSync(DOC, 'utf8');
  writeFileSync(DOC, withVectors(doc));
  console.log(`docs/protocol.md: ${VECTORS.length} vectors written`);
}
