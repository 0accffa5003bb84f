import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deviceRoutes } from './devices.ts';
import { gateRoutes } from './gates.ts';
import { leadRoutes } from './leads.ts';
import { occupancyRoutes } from './occupancy.ts';
import { scanRoutes } from './scans.ts';
import { sweepRoutes } from './sweep.ts';
import { zoneRoutes } from './zones.ts';

/** Every route of the first version, one file per resource; registered under the `/v1` prefix. */
export const v1Routes: FastifyPluginAsyncZod = async (app) => {
  await app.register(zoneRoutes);
  await app.register(gateRoutes);
  await app.register(deviceRoutes);
  await app.register(scanRoutes);
  await app.register(occupancyRoutes);
  await app.register(leadRoutes);
  await app.register(sweepRoutes);
};
