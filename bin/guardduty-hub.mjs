#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so a clone needs no build step.
import { register } from 'tsx/esm/api';

process.env.CHECKPOINT_DISABLE ??= '1';
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
