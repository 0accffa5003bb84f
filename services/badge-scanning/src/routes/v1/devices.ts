import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CreateDeviceBody, DeviceKeyResponse, DeviceParams, DeviceSyncQuery, DeviceSyncResponse } from '@expo/schemas';
import { ErrorBodySchema } from '@expo/service-kit';
import { z } from 'zod';
import { deviceOf } from '../../domain/device-principal.ts';
import { changeDevice } from '../../usecases/devices.ts';
import { deviceSync } from '../../usecases/device-sync.ts';

/** Scanner devices: created, rotated and revoked by an admin; synced by the device itself. */
export const deviceRoutes: FastifyPluginAsyncZod = async (app) => {
  // A key changed here stops (or starts) working on this instance at once.
  app.addHook('onSend', async (request) => {
    if (request.method !== 'GET') app.keyCache.clear();
  });
  app.post(
    '/devices',
    { config: { roles: ['admin'] }, schema: { tags: ['devices'], body: CreateDeviceBody, response: { 201: DeviceKeyResponse, 400: ErrorBodySchema } } },
    async (request, reply) => reply.code(201).send((await changeDevice(app.scanning, { kind: 'create', gateId: request.body.gateId }))!),
  );
  app.post(
    '/devices/:deviceId/rotate',
    { config: { roles: ['admin'] }, schema: { tags: ['devices'], params: DeviceParams, response: { 200: DeviceKeyResponse, 404: ErrorBodySchema } } },
    async (request) => (await changeDevice(app.scanning, { kind: 'rotate', deviceId: request.params.deviceId }))!,
  );
  app.delete(
    '/devices/:deviceId',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['devices'],
        params: DeviceParams,
        response: { 200: z.object({ deviceId: z.string(), revoked: z.literal(true) }), 404: ErrorBodySchema },
      },
    },
    async (request) => {
      await changeDevice(app.scanning, { kind: 'revoke', deviceId: request.params.deviceId });
      return { deviceId: request.params.deviceId, revoked: true as const };
    },
  );
  app.get(
    '/devices/sync',
    { config: { roles: ['device'] }, schema: { tags: ['devices'], querystring: DeviceSyncQuery, response: { 200: DeviceSyncResponse, 400: ErrorBodySchema } } },
    async (request) => deviceSync(app.scanning, deviceOf(request.principal), request.query.since),
  );
};
