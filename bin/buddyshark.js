#!/usr/bin/env node
// Executable entry only: run the CLI from its start-up bundle (src/launch/bundle.mjs), or through
// tsx when there is none.
import { fileURLToPath } from 'node:url';
import { bundledMain } from '../src/launch/bundle.mjs';

const main = await bundledMain();
if (main) await import(main);
else {
  const { register } = await import('tsx/esm/api');
  // The project's tsconfig wherever the command runs from (its JSX settings compile the terminal UI).
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  await import('../src/cli/main.ts');
}
