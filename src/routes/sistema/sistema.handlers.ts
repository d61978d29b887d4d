import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { pemToDer } from '../../cfdi';
import type { certificadoSandbox, health, me } from './sistema.routes';

export const VERSION = '0.1.0';

export const healthHandler: RouteHandler<typeof health, AppEnv> = (c) =>
  c.json({ status: 'ok' as const, version: VERSION, time: new Date().toISOString() }, 200);

export const meHandler: RouteHandler<typeof me, AppEnv> = async (c) => {
  const auth = c.get('auth');
  const app = c.get('application');
  return c.json(
    {
      application: {
        id: app.id,
        name: app.name,
        status: app.status,
        emisor: {
          rfc: app.rfc,
          nombre: app.razon_social,
          regimen_fiscal: app.regimen_fiscal,
          lugar_expedicion: app.lugar_expedicion,
        },
        csd:
          app.csd_no_certificado && app.csd_valido_hasta
            ? { no_certificado: app.csd_no_certificado, valido_hasta: app.csd_valido_hasta }
            : null,
      },
      mode: auth.mode,
      key: { id: auth.keyId, scopes: auth.scopes },
    },
    200,
  );
};

export const certificadoSandboxHandler: RouteHandler<typeof certificadoSandbox, AppEnv> = (c) => {
  const pem = c.env.SANDBOX_PAC_CERT_PEM;
  if (c.req.valid('query').formato === 'der') {
    return c.body(pemToDer(pem), 200, { 'Content-Type': 'application/pkix-cert', 'Content-Disposition': 'attachment; filename="hexafac-sandbox-pac.cer"' });
  }
  return c.body(pem, 200, { 'Content-Type': 'application/x-pem-file' });
};
