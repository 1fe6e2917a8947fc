// bench/port-await.mjs — Which shape should a looper's port operations have?
//
// Question: a looper's receive/send must be awaitable (the box may have to suspend), but most
// operations need not wait. Three shapes over one bounded queue, 10 async stages, 1,000,000
// IPs, capacity 10, one process:
//   always        op returns a plain value when it can; the body always writes `await op()`
//   maybe         op returns a value or a Promise; the body awaits only a Promise
//   whenBlocking  two calls: tryOp() and, only when it fails, `await waitOp()`
//   generators    sync generator stages that yield only when an operation must wait, resumed
//                 by a FIFO driver (a generator-based looper; cannot await I/O inside)
// The plain-JS floor (10 distinct closures, as peers-bench 01) is printed for scale.
// Run: node bench/port-await.mjs   (decided the value-or-Promise API; see docs/design.md)
const N = 1_000_000, HOPS = 10, CAP = 10;
const now = () => performance.now();
const EMPTY = Symbol('empty');
class Q { constructor(c){this.b=new Array(16);this.m=15;this.h=0;this.t=0;this.c=c;this.rw=null;this.sw=null;}
  tryPut(x){ if(this.t-this.h===this.c) return false; this.b[this.t++&this.m]=x; const w=this.rw; if(w){this.rw=null;w();} return true;}
  tryGet(){ if(this.t===this.h) return EMPTY; const i=this.h++&this.m; const x=this.b[i]; this.b[i]=undefined; const w=this.sw; if(w){this.sw=null;w();} return x;}
  // sync-or-promise API
  put(x){ if(this.tryPut(x)) return true; return new Promise(r=>{this.sw=r;}).then(()=>this.put(x)); }
  get(){ const x=this.tryGet(); if(x!==EMPTY) return x; return new Promise(r=>{this.rw=r;}).then(()=>this.get()); }
  waitNotFull(){return new Promise(r=>{this.sw=r;});} waitNotEmpty(){return new Promise(r=>{this.rw=r;});}
}
const END = {end:true};
async function alwaysAwait(){
  const qs = Array.from({length:HOPS+1},()=>new Q(CAP)); let sum=0;
  const ps=[]; const t0=now();
  ps.push((async()=>{for(let i=0;i<N;i++) await qs[0].put({n:i}); await qs[0].put(END);})());
  for(let h=0;h<HOPS;h++){const a=qs[h],b=qs[h+1]; ps.push((async()=>{for(;;){const x=await a.get(); await b.put(x); if(x===END) return;}})());}
  ps.push((async()=>{const q=qs[HOPS]; for(;;){const x=await q.get(); if(x===END) return; sum=(sum+x.n)|0;}})());
  await Promise.all(ps); return N/((now()-t0)/1000);
}
async function awaitWhenBlocking(){
  const qs = Array.from({length:HOPS+1},()=>new Q(CAP)); let sum=0;
  const ps=[]; const t0=now();
  ps.push((async()=>{const q=qs[0];for(let i=0;i<N;i++){const x={n:i}; while(!q.tryPut(x)) await q.waitNotFull();} while(!q.tryPut(END)) await q.waitNotFull();})());
  for(let h=0;h<HOPS;h++){const a=qs[h],b=qs[h+1]; ps.push((async()=>{for(;;){let x; while((x=a.tryGet())===EMPTY) await a.waitNotEmpty(); while(!b.tryPut(x)) await b.waitNotFull(); if(x===END) return;}})());}
  ps.push((async()=>{const q=qs[HOPS]; for(;;){let x; while((x=q.tryGet())===EMPTY) await q.waitNotEmpty(); if(x===END) return; sum=(sum+x.n)|0;}})());
  await Promise.all(ps); return N/((now()-t0)/1000);
}
// "maybe" API: op returns value or a promise; caller: let x = op(); if (x instanceof Promise) x = await x;
async function maybeAwait(){
  const qs = Array.from({length:HOPS+1},()=>new Q(CAP)); let sum=0;
  const ps=[]; const t0=now();
  ps.push((async()=>{const q=qs[0];for(let i=0;i<N;i++){const r=q.put({n:i}); if(r!==true) await r;} const r=q.put(END); if(r!==true) await r;})());
  for(let h=0;h<HOPS;h++){const a=qs[h],b=qs[h+1]; ps.push((async()=>{for(;;){let x=a.get(); if(x instanceof Promise) x=await x; const r=b.put(x); if(r!==true) await r; if(x===END) return;}})());}
  ps.push((async()=>{const q=qs[HOPS]; for(;;){let x=q.get(); if(x instanceof Promise) x=await x; if(x===END) return; sum=(sum+x.n)|0;}})());
  await Promise.all(ps); return N/((now()-t0)/1000);
}
// Generator stages: a stage yields (the wait it needs) only when a queue operation must wait;
// a driver with a FIFO of ready generators resumes them, re-queued by the queue's wake-up.
function generators(){
  const qs = Array.from({length:HOPS+1},()=>new Q(CAP)); let sum=0;
  for (const q of qs) { q.recvWait = {q, recv: true}; q.sendWait = {q, recv: false}; }
  function* src(q){ for(let i=0;i<N;i++){const x={n:i}; while(!q.tryPut(x)) yield q.sendWait;} while(!q.tryPut(END)) yield q.sendWait; }
  function* stage(a,b){ for(;;){ let x; while((x=a.tryGet())===EMPTY) yield a.recvWait; while(!b.tryPut(x)) yield b.sendWait; if(x===END) return; } }
  function* sink(q){ for(;;){ let x; while((x=q.tryGet())===EMPTY) yield q.recvWait; if(x===END) return; sum=(sum+x.n)|0; } }
  const gens=[src(qs[0])]; for(let h=0;h<HOPS;h++) gens.push(stage(qs[h],qs[h+1])); gens.push(sink(qs[HOPS]));
  const ready=[...gens]; let head=0;
  const wakers=new Map(gens.map((g)=>[g,()=>ready.push(g)]));
  const t0=now();
  while(head<ready.length){ const g=ready[head++]; const r=g.next(); if(r.done) continue; const w=r.value; if(w.recv) w.q.rw=wakers.get(g); else w.q.sw=wakers.get(g); }
  if (sum !== EXPECT) throw new Error('generators: bad sum');
  return N/((now()-t0)/1000);
}
let EXPECT=0; for(let i=0;i<N;i++) EXPECT=(EXPECT+i)|0;
function floor(){ const f=[(x)=>x,(x)=>x,(x)=>x,(x)=>x,(x)=>x,(x)=>x,(x)=>x,(x)=>x,(x)=>x,(x)=>x]; let s=0; const t0=now(); for(let i=0;i<N;i++){let x={n:i}; for(let h=0;h<HOPS;h++) x=f[h](x); s=(s+x.n)|0;} return N/((now()-t0)/1000);}
const fmt=x=>(x/1e6).toFixed(2)+'M';
for (let r=0;r<3;r++){
  console.log('floor', fmt(floor()), 'always', fmt(await alwaysAwait()), 'whenBlocking', fmt(await awaitWhenBlocking()), 'maybe', fmt(await maybeAwait()), 'generators', fmt(generators()));
}
