import { it } from 'vitest';
import { asyncAdapter } from './async-adapter.js';
import { hostedAdapter } from './remote-adapter.js';
import { jsonCodec } from './recipes/core-factories.js';
import { clientLogin, serviceLogin } from './scenarios/protocols.js';

it('debug', async () => {
  const host = hostedAdapter('nonblocking');
  const svc = await host.bind<any, any>('127.0.0.1:0', { codec: jsonCodec(), protocol: serviceLogin(), maxConnections: 1 });
  const o = { codec: jsonCodec(), protocol: clientLogin(), timeout: 1000 } as any;
  const [first, firstPeer] = await Promise.all([asyncAdapter.connect<any, any>({ host: '127.0.0.1', port: svc.port }, o), svc.accept(5000)]);
  console.log('first ok');
  const r = await asyncAdapter.connect<any, any>({ host: '127.0.0.1', port: svc.port }, { ...o, codec: jsonCodec(), protocol: clientLogin() }).then(() => 'connected', (e) => e.code);
  console.log('second', r, svc.rejectedCount());
  await firstPeer.close();
  console.log('first peer closed');
  const [again, againPeer] = await Promise.all([asyncAdapter.connect<any, any>({ host: '127.0.0.1', port: svc.port }, { ...o, codec: jsonCodec(), protocol: clientLogin() }), svc.accept(5000)]);
  console.log('again ok');
  await first.close(); await again.close(); await svc.close(); console.log(host.takeFaults()); await host.terminate();
}, 20000);
