// Rough single-core throughput of badge verification, the check every gate scan runs:
// `npx tsx packages/badges/bench/verify.ts` from the repository root. Not a test: numbers vary by machine.
import { Buffer } from 'node:buffer';
import { verify } from 'node:crypto';
import { createBadgeVerifier } from '../src/badge-verifier.ts';
import { BadgeKeyRing } from '../src/key-ring.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 30_000);
const ring = BadgeKeyRing.generate('bench-old').rotate();
const tokens = Array.from({ length: 1_000 }, (_, i) =>
  ring.sign({ bid: `b_${i}`, aid: `a_${i}`, eid: 'ciie-2024', cat: 'buyer', acc: ['hall', 'forum'], from: '2024-11-05', to: '2024-11-10' }),
);
const revoked = new Set(['b_7']);
const options = { keys: ring.publicJwks(), expoId: 'ciie-2024', isRevoked: (bid: string) => revoked.has(bid) };
const cold = createBadgeVerifier({ ...options, cacheSize: 0 });
const warm = createBadgeVerifier(options);
const at = new Date('2024-11-07T10:00:00+08:00');

async function measure(label: string, run: (token: string) => unknown, rounds = ROUNDS): Promise<void> {
  for (let i = 0; i < 2_000; i++) await run(tokens[i % tokens.length]!);
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await run(tokens[i % tokens.length]!);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = Math.round(rounds / seconds).toLocaleString('en-US');
  console.log(`${label.padEnd(52)} ${perSecond.padStart(10)} /s  ${((seconds / rounds) * 1e6).toFixed(1).padStart(6)} µs each`);
}

const publicKey = ring.current.publicKey;
const raw = tokens.map((t) => {
  const [head, signature] = t.split('.') as [string, string];
  return { head: Buffer.from(head, 'ascii'), signature: Buffer.from(signature, 'base64url') };
});
let n = 0;
await measure('node:crypto Ed25519 verify alone (the floor)', () => {
  const r = raw[n++ % raw.length]!;
  return verify(null, r.head, publicKey, r.signature);
});
await measure('verifySync, every token new (cache off)', (token) => cold.verifySync(token, { at }));
await measure('verify (async), every token new (cache off)', (token) => cold.verify(token, { at }));
await measure('verifySync, repeat scans (1,000 badges, cached)', (token) => warm.verifySync(token, { at }), ROUNDS * 20);
await measure('verify (async), repeat scans (cached)', (token) => warm.verify(token, { at }), ROUNDS * 20);
await measure('ring.sign (registration side)', () =>
  ring.sign({ bid: 'b_1', aid: 'a_1', eid: 'ciie-2024', cat: 'buyer', acc: ['hall'], from: '2024-11-05', to: '2024-11-10' }),
);
