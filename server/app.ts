// createApp(deps): the Hono app with every REST route under /api, /health and the client.
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { errorBody, onError } from './http/errors.ts';
import { authenticate, type AppDeps, type AppEnv } from './http/context.ts';
import { refuseCrossOrigin } from './http/same-origin.ts';
import { allowedHosts, refuseUnknownHost } from './http/allowed-hosts.ts';
import { limitBodies } from './http/body-limit.ts';
import { CONTENT_SECURITY_POLICY, hstsOverHttps } from './http/transport.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { blobRoutes } from './routes/blobs.ts';
import { imageRoutes } from './routes/images.ts';
import { importRoutes } from './routes/imports.ts';
import { projectRoutes } from './routes/projects.ts';
import { jobRoutes } from './routes/jobs.ts';
import { eventRoutes } from './routes/events.ts';
import { presenceRoutes } from './routes/presence.ts';
import { releaseRoutes } from './routes/releases.ts';
import { reviewRoutes } from './routes/review.ts';
import { provenanceRoutes } from './routes/provenance.ts';
import { runRoutes } from './routes/runs.ts';
import { commentRoutes } from './routes/comments.ts';
import { lineageRoutes } from './routes/lineage.ts';

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.use('*', refuseUnknownHost(allowedHosts({ listen: deps.config.host, extra: deps.config.allowedHosts }), deps.config.trustProxy));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-origin', crossOriginEmbedderPolicy: false, strictTransportSecurity: false, contentSecurityPolicy: CONTENT_SECURITY_POLICY, xFrameOptions: 'DENY' }));
  app.use('*', hstsOverHttps(deps.config.trustProxy));

  app.get('/health', async (c) => {
    await deps.services.data.ping();
    return c.json({ ok: true });
  });

  const api = new Hono<AppEnv>();
  api.use('*', refuseCrossOrigin(deps.config.trustProxy));
  api.use('*', authenticate(deps));
  api.use('*', limitBodies({ anonymousBytes: deps.config.maxAnonymousBytes, jsonBytes: deps.config.maxJsonBytes, uploadBytes: deps.config.maxUploadBytes }));
  api.route('/', authRoutes(deps));
  api.route('/', projectRoutes(deps));
  api.route('/', imageRoutes(deps));
  api.route('/', presenceRoutes(deps));
  api.route('/', provenanceRoutes(deps));
  api.route('/', importRoutes(deps));
  api.route('/', blobRoutes(deps));
  api.route('/', jobRoutes(deps));
  api.route('/', eventRoutes(deps));
  api.route('/', adminRoutes(deps));
  api.route('/', releaseRoutes(deps));
  api.route('/', reviewRoutes(deps));
  api.route('/', runRoutes(deps));
  api.route('/', commentRoutes(deps));
  api.route('/', lineageRoutes(deps));
  api.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  app.route('/api', api);

  if (deps.client) app.use('*', deps.client);
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  return app;
}

export type App = ReturnType<typeof createApp>;
