// A worker that adopts one half of a non-blocking connection and does what the test thread asks.
import { parentPort, workerData } from 'node:worker_threads';

const { CltReceiver, CltSender, jsonCodec } = await import(workerData.flavour);
let half;

const handlers = {
  adoptReceiver: ({ value }) => void (half = CltReceiver.adopt(value, { codec: jsonCodec() })),
  adoptSender: ({ value }) => void (half = CltSender.adopt(value, { codec: jsonCodec() })),
  recvN: ({ from, count }) => {
    let outOfOrder = 0;
    for (let n = from; n < from + count; n++) if (half.recvBusywait().n !== n) outOfOrder++;
    return { outOfOrder };
  },
  sendN: ({ count }) => {
    for (let n = 0; n < count; n++) half.sendBusywait({ n });
  },
  recvEnd: () => {
    try {
      return { end: half.recvBusywait() === undefined ? 'END_OF_STREAM' : 'message' };
    } catch (error) {
      return { end: error.code };
    }
  },
  close: () => half.close(),
};

parentPort.on('message', (request) => {
  try {
    parentPort.postMessage({ ok: true, ...(handlers[request.op](request) ?? {}) });
  } catch (error) {
    parentPort.postMessage({ ok: false, code: error.code, message: String(error.message ?? error) });
  }
});
parentPort.postMessage({ ready: true });
