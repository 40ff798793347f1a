import type { ClientJob } from './client-job.js';
import { body, type ClientResult, DONE, ECHOED, STREAMED } from './protocol.js';
import { Recorder } from './recorder.js';

/**
 * The zeromq.js client: round trips over Request/Reply, the one-way stream over Push/Pull (one
 * awaited send at a time, as zeromq.js allows), its end confirmed over Request/Reply.
 */
export async function runZeromqClient(job: ClientJob): Promise<ClientResult> {
  const zmq = await import('zeromq');
  const [replyEndpoint, pullEndpoint] = job.address.split(',') as [string, string];
  const request = new zmq.Request();
  request.connect(replyEndpoint);
  const recorder = new Recorder(job);
  const echoed = Buffer.from(body(job.size, ECHOED));
  let result: ClientResult;
  if (job.mode === 'stream') {
    const push = new zmq.Push();
    push.connect(pullEndpoint);
    const streamed = Buffer.from(body(job.size, STREAMED));
    const done = Buffer.from(body(job.size, DONE));
    const stream = async (count: number, expired: () => boolean) => {
      let sent = 0;
      while (sent < count && ((sent & 255) !== 0 || !expired())) {
        sent++;
        await push.send(streamed);
      }
      await push.send(echoed);
      await request.send(done);
      await request.receive();
      return sent;
    };
    await stream(job.warmup, () => false);
    recorder.start();
    recorder.streamed(await stream(job.count, () => recorder.expired()));
    result = recorder.result();
    push.close();
  } else {
    // Request/Reply allows one message in flight: the fixed-rate mode is not offered for it.
    for (let i = -job.warmup; i < job.count; i++) {
      recorder.beginRoundTrip(i);
      await request.send(echoed);
      await request.receive();
      recorder.endRoundTrip(i);
      if (i >= 0 && (i & 63) === 63 && recorder.expired()) break;
    }
    result = recorder.result();
  }
  request.close();
  return result;
}
