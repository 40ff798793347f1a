// A worker that adopts one half of a connection and does what the test thread asks of it.
import { parentPort, workerData } from 'node:worker_threads';

const { CltReceiver, CltSender, jsonCodec, ErrorCode } = await import(workerData.flavour);
let half;
// The last value the test thread posted: its port travelled once and cannot be posted again.
let kept;

function codeOf(run) {
  try {
    run();
    return 'none';
  } catch (error) {
    return error.code ?? String(error);
  }
}

const handlers = {
  adoptReceiver: ({ value }) => void (half = CltReceiver.adopt(value, { codec: jsonCodec() })),
  adoptSender: ({ value }) => void (half = CltSender.adopt(value, { codec: jsonCodec() })),
  recvN: ({ from, count }) => {
    let outOfOrder = 0;
    for (let n = from; n < from + count; n++) if (half.recv().n !== n) outOfOrder++;
    return { outOfOrder };
  },
  sendN: ({ count }) => {
    for (let n = 0; n < count; n++) half.send({ n });
  },
  recvEnd: () => {
    try {
      return { end: half.recv() === undefined ? 'END_OF_STREAM' : 'message' };
    } catch (error) {
      return { end: error.code };
    }
  },
  sendAfterEnd: () => ({ end: codeOf(() => half.send({ n: -1 })) }),
  close: () => half.close(),
  adoptTwice: () => {
    half = CltReceiver.adopt(kept, { codec: jsonCodec() });
    return { second: codeOf(() => CltReceiver.adopt(kept, { codec: jsonCodec() })) };
  },
  adoptBad: ({ value }) => ({
    kept: void (kept = value),
    otherProcess: codeOf(() => CltReceiver.adopt({ ...value, pid: value.pid + 1 }, { codec: jsonCodec() })),
    notAValue: codeOf(() => CltReceiver.adopt({ fd: 3 }, { codec: jsonCodec() })),
    otherHalf: codeOf(() => CltSender.adopt(value, { codec: jsonCodec() })),
  }),
  adoptCode: ({ value }) => ({ code: codeOf(() => void (half = CltReceiver.adopt(value, { codec: jsonCodec() }))) }),
};

parentPort.on('message', (request) => {
  try {
    parentPort.postMessage({ ok: true, ...(handlers[request.op](request) ?? {}) });
  } catch (error) {
    parentPort.postMessage({ ok: false, code: error.code, message: String(error.message ?? error) });
  }
});
void ErrorCode;
parentPort.postMessage({ ready: true });
