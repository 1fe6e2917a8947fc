#!/usr/bin/env node
// The `weft` command. Registers tsx so that the runtime and TypeScript components load
// without a build step, then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
