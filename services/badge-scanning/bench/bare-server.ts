// The HTTP ceiling of this machine: fastify answering a fixed JSON body, nothing else.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = {
  scanId: '00000000-0000-4000-8000-000000000000',
  decision: 'accepted',
  reason: null,
  zoneId: 'hall-1',
  occupancy: 1,
  capacity: null,
  replayed: false,
  badge: null,
};
app.post('/v1/scans', async () => body);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
