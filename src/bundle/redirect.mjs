// A module resolve hook (module.register) for weft running from a bundle: a component that
// imports weft's public API (src/index.ts, by path or as the package `weft`) gets the bundle
// that is already running, which exports that API, instead of tsx compiling the whole runtime
// a second time beside it. Registered after tsx, so it sees what tsx resolved.
let from = '';
let to = '';

export function initialize(data) {
  from = data.from;
  to = data.to;
}

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  return r.url === from ? { url: to, format: 'module', shortCircuit: true } : r;
}
