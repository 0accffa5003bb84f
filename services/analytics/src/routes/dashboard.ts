import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '@expo/service-kit';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const OWN_ASSETS = ['app.js', 'charts.js', 'i18n.js', 'sse.js', 'style.css'] as const;

/**
 * Every file the page needs, read once at start-up and served from here: the venue network may be
 * cut from the internet, so nothing comes from a CDN. ECharts is the installed package's own build.
 */
function loadAssets(): Map<string, { body: Buffer; type: string }> {
  const dir = new URL('../dashboard/', import.meta.url);
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of ['index.html', ...OWN_ASSETS]) {
    assets.set(name, { body: readFileSync(new URL(name, dir)), type: TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream' });
  }
  const echarts = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
  assets.set('echarts.min.js', { body: readFileSync(echarts), type: TYPES['.js']! });
  return assets;
}

/**
 * The page itself is public (it holds no data); it signs in with an admin or ops token and reads
 * the /v1 routes with it.
 */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  const assets = loadAssets();
  const send = (name: string) => {
    const asset = assets.get(name);
    if (!asset) throw notFound('Asset');
    return asset;
  };
  app.get('/dashboard', { config: { roles: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const page = send('index.html');
    return reply.type(page.type).header('cache-control', 'no-cache').send(page.body);
  });
  app.get(
    '/dashboard/assets/:name',
    { config: { roles: 'public' }, schema: { hide: true, params: z.object({ name: z.string().regex(/^[a-z0-9.-]+$/) }) } },
    async (request, reply) => {
      const asset = send(request.params.name);
      return reply.type(asset.type).header('cache-control', 'public, max-age=300').send(asset.body);
    },
  );
};
