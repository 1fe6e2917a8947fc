#!/usr/bin/env node
// The `weft` command. Runs the CLI from its bundle (src/bundle/cache.mjs: built on first use,
// rebuilt when a source changes) and registers tsx only when a component from a file is to be
// loaded; without a bundle (WEFT_BUNDLE=0, no esbuild, no usable cache directory) it registers
// tsx at once and runs the TypeScript sources, as before.
import { fileURLToPath } from 'node:url';
import { bundled, bundleOff, cacheDir, registerForComponents } from '../src/bundle/cache.mjs';

const tsx = { esm: import.meta.resolve('tsx/esm/api'), cjs: import.meta.resolve('tsx/cjs/api') };

const entry = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const bundle = bundleOff() ? null : await bundled(entry, cacheDir());
let cli = null;
if (bundle !== null) {
  process.setSourceMapsEnabled(true); // stack traces name the sources
  // Removed a moment ago by another process's clean-up (bundles older than a day): the sources.
  cli = await import(bundle.file.href).catch(() => null);
  cli?.beforeUserImport(() => registerForComponents(tsx, bundle.file.href));
}
if (cli === null) {
  await registerForComponents(tsx, null);
  cli = await import('../src/cli/main.ts');
}
await cli.main(process.argv);
