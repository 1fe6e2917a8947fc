// The entry of a worker's bundle (bundle.ts): the worker itself, and weft's public API, which
// components loaded by the worker get from here (bundle/redirect.mjs) instead of a second copy.
export * from '../index.ts';
import './worker-main.ts';
