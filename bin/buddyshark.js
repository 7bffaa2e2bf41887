#!/usr/bin/env node
// Executable entry only: load TypeScript through tsx, then hand over to the CLI.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig wherever the command runs from (its JSX settings compile the terminal UI).
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
