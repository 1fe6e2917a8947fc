// A module for cache.test.ts: what import.meta says here must survive bundling.
export const here = import.meta.url;
export const beside = new URL('./cache.mjs', import.meta.url).href;
export const tsx = import.meta.resolve('tsx/esm/api');
