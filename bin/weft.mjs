#!/usr/bin/env node
// The `weft` command. Registers tsx so that the runtime and TypeScript components load
// without a build step, then hands over to the CLI.
import { register as registerCjs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

// Both hooks: a component file outside an ES-module package is loaded as CommonJS by Node,
// and tsx must compile it on that path too.
register();
registerCjs();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
