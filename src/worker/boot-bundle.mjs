// Worker bootstrap for the bundled runtime (bundle.ts): stack traces map back to the sources
// (the bundle carries its source map inline, read only while maps are on), then the bundle.
import { workerData } from 'node:worker_threads';

process.setSourceMapsEnabled(true);
await import(workerData.bundle);
