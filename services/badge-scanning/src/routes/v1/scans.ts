import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AnnulScanResponse, ScanBatchRequest, ScanBatchResponse, ScanParams, ScanRequest, ScanResult } from '@expo/schemas';
import { ErrorBodySchema, forbidden } from '@expo/service-kit';
import { deviceOf } from '../../domain/device-principal.ts';
import { observeBatch } from '../../metrics.ts';
import type { Device } from '../../domain/device.ts';
import { annulScan } from '../../usecases/annul-scan.ts';
import { decideScans } from '../../usecases/decide-scan.ts';

function checkGate(device: Device, scans: ReadonlyArray<{ gateId?: string }>): void {
  const other = scans.find((s) => s.gateId !== undefined && s.gateId !== device.gateId);
  if (other) throw forbidden(`This device's key belongs to another gate than ${other.gateId}`);
}

const errors = { 400: ErrorBodySchema, 409: ErrorBodySchema, 503: ErrorBodySchema };
// Over the device's per-minute limit (src/plugins/scan-rate-limit.ts), with Retry-After.
const limited = { 429: ErrorBodySchema };

/** The hot path: gate scanners post here and wait for a green or red light. */
export const scanRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/scans',
    {
      config: { roles: ['device'] },
      onRequest: app.scanRateLimit,
      schema: { tags: ['scans'], body: ScanRequest, response: { 200: ScanResult, ...errors, ...limited } },
    },
    async (request) => {
      const device = deviceOf(request.principal);
      checkGate(device, [request.body]);
      const [result] = await decideScans(app.scanning, device, [request.body], false);
      return result!;
    },
  );
  app.post(
    '/scans/batch',
    {
      config: { roles: ['device'] },
      onRequest: app.scanRateLimit,
      bodyLimit: 4 * 1024 * 1024,
      schema: { tags: ['scans'], body: ScanBatchRequest, response: { 200: ScanBatchResponse, ...errors, ...limited } },
    },
    async (request) => {
      const device = deviceOf(request.principal);
      checkGate(device, request.body.scans);
      observeBatch(app.scanning.metrics, request.body.scans, app.scanning.now());
      return { results: await decideScans(app.scanning, device, request.body.scans, true) };
    },
  );
  app.post(
    '/scans/:scanId/annul',
    { config: { roles: ['device'] }, schema: { tags: ['scans'], params: ScanParams, response: { 200: AnnulScanResponse, 404: ErrorBodySchema, ...errors } } },
    async (request) => annulScan(app.scanning, deviceOf(request.principal), request.params.scanId),
  );
};
