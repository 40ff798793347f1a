import { afterAll, describe } from 'vitest';
import type { FlavourAdapter } from './adapter.js';
import { asyncAdapter } from './async-adapter.js';
import { hostedAdapter } from './remote-adapter.js';
import { defineConformanceSuite } from './suite.js';

// Every flavour's client against every flavour's service. The synchronous flavours each run in a
// thread of their own (they spin or park it); one adapter per side, so a pair of two synchronous
// flavours has its client and its service in two threads, which end with the pair's scenarios.
const flavours = ['async', 'nonblocking', 'blocking'] as const;
type Flavour = (typeof flavours)[number];

const only = process.env.NET_TEST_PAIR; // for example "blocking->async"
for (const clt of flavours) {
  for (const svc of flavours) {
    if (only !== undefined && only !== '' && only !== `${clt}->${svc}`) continue;
    describe(`${clt} -> ${svc}`, () => {
      const hosted: ReturnType<typeof hostedAdapter>[] = [];
      const adapter = (flavour: Flavour): FlavourAdapter => {
        if (flavour === 'async') return asyncAdapter;
        const made = hostedAdapter(flavour);
        hosted.push(made);
        return made;
      };
      defineConformanceSuite({ clt: adapter(clt), svc: adapter(svc) });
      afterAll(async () => {
        await Promise.all(hosted.map((made) => made.terminate()));
      });
    });
  }
}
