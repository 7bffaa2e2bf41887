#!/usr/bin/env node
// Executable entry only: load TypeScript through tsx, then hand over to the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
