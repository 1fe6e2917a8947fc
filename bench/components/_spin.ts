// Shared by bench/Spin and bench/scaling.ts (which calibrates it on the main thread): `iter`
// steps of a linear congruential generator, CPU only, no allocation. The result depends on
// every step, so the loop cannot be optimised away.
export function spin(seed: number, iter: number): number {
  let x = seed | 0;
  for (let i = 0; i < iter; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}
