// A thread that attaches as the consumer of the inbox in its workerData and says so. It never
// closes its side: with `workerData.stay` it waits to be terminated, otherwise it ends by itself
// once told to (a port with no listener left keeps no thread alive).
import { parentPort, workerData } from 'node:worker_threads';
import { InboxReceiver, jsonCodec } from '../../dist/index.js';

InboxReceiver.attach(workerData.inbox, { codec: jsonCodec() });
parentPort.postMessage('attached');
if (workerData.stay) setInterval(() => undefined, 1_000);
else parentPort.once('message', () => undefined);
