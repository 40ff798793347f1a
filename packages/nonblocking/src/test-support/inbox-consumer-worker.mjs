// A thread that attaches as the consumer of the inbox in its workerData, says so, and then does
// nothing until it is terminated (it never closes its side).
import { parentPort, workerData } from 'node:worker_threads';
import { InboxReceiver, jsonCodec } from '../../dist/index.js';

InboxReceiver.attach(workerData.inbox, { codec: jsonCodec() });
parentPort.postMessage('attached');
setInterval(() => undefined, 1_000);
