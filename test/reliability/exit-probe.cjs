// Preloaded (`node --require`) into `weft` by the fault suites: on the main thread, reports on
// stderr how the process ended, as one last line:
//   exit-probe: the event loop emptied (exit code N)     it ended on its own: no handle left
//   exit-probe: process.exit(N); active then: ...         something forced it (a grace timer,
//                                                          a second signal), with what was
//                                                          still holding the event loop
// Worker threads inherit the preload and are left alone.
'use strict';
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  let forced = null;
  const exit = process.exit.bind(process);
  process.exit = (code) => {
    forced ??= { code, active: process.getActiveResourcesInfo() };
    return exit(code);
  };
  process.on('exit', (code) => {
    const how = forced ? `process.exit(${forced.code}); active then: ${forced.active.join(', ')}` : 'the event loop emptied';
    // stderr is a pipe here: written synchronously, so the line is out before the exit.
    process.stderr.write(`exit-probe: ${how} (exit code ${code})\n`);
  });
}
