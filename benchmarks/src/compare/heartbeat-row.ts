import { type BusyBeatSettings, consumeBusy, startBeatPeer } from './busy-heartbeat.js';

/**
 * The processes of the threads suite's heartbeat row (see `threads-heartbeat.ts`), SETTINGS being
 * a `BusyBeatSettings` as JSON:
 *   heartbeat-row peer SETTINGS            prints "ready PORT", then the beats' summary as one JSON line
 *   heartbeat-row consumer PORT SETTINGS   prints what the consumer saw as one JSON line
 */
const [role, ...args] = process.argv.slice(2);
if (role === 'peer') {
  const settings = JSON.parse(args[0]) as BusyBeatSettings;
  const peer = await startBeatPeer(settings);
  console.log(`ready ${peer.port}`);
  const summary = await peer.done;
  peer.stop();
  console.log(JSON.stringify(summary));
  process.exit(0);
} else if (role === 'consumer') {
  const settings = JSON.parse(args[1]) as BusyBeatSettings;
  console.log(JSON.stringify(consumeBusy(Number(args[0]), settings)));
  process.exit(0);
} else {
  throw new Error(`unknown role ${String(role)}`);
}
