import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaptureLeadBody, CaptureLeadResponse } from '@expo/schemas';
import { ErrorBodySchema } from '@expo/service-kit';
import { z } from 'zod';
import { captureLead, parseLead } from '../../usecases/capture-lead.ts';

const OwnLead = z.object({
  leadId: z.string(),
  badgeId: z.string(),
  attendeeId: z.string(),
  rating: z.number().optional(),
  note: z.string().optional(),
  capturedAt: z.string(),
});

/** Booth scans by exhibitors (their key from registration) and their own list of leads. */
export const leadRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/leads',
    {
      config: { roles: ['exhibitor'] },
      schema: { tags: ['leads'], body: CaptureLeadBody, response: { 200: CaptureLeadResponse, 400: ErrorBodySchema, 409: ErrorBodySchema } },
    },
    async (request) => captureLead(app.scanning, request.principal.id!, request.body),
  );
  app.get(
    '/leads',
    { config: { roles: ['exhibitor'] }, schema: { tags: ['leads'], response: { 200: z.object({ leads: z.array(OwnLead) }) } } },
    async (request) => {
      const leads = await app.scanning.scans.leadsOf(request.principal.id!);
      return {
        leads: leads
          .map(([leadId, json]) => {
            const { exhibitorId: _e, ...lead } = parseLead(json);
            return { leadId, ...lead };
          })
          .sort((a, b) => a.capturedAt.localeCompare(b.capturedAt)),
      };
    },
  );
};
