// Binds a service on two threads and returns from its module without closing it: the open
// service alone must keep the process alive. With `unref` as its argument it unreferences the
// service instead, and the process must then exit on its own at once.
import { SvcThreads } from '../../dist/index.js';

const svc = await SvcThreads.bind('127.0.0.1:0', {
  threads: 2,
  handler: new URL('./echo-handler.mjs', import.meta.url),
});
if (process.argv.includes('unref')) svc.unref();
console.log(`port ${svc.port}`);
