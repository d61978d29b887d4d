import adminApp from './admin';
import autofacturaApp from './autofactura';
import { createApp } from './src/app';
import { depsDe, type Deps } from './src/deps';
import type { Env } from './src/env';
import { agotarReintentosCancelacion, procesarCancelacion } from './src/jobs/cancelar-factura';
import { avisarCsd } from './src/jobs/avisos-csd';
import { barrer } from './src/jobs/barrido';
import { agotarReintentosEnvio, procesarEnvio } from './src/jobs/enviar-correo';
import { emitirGlobalesAutomaticas } from './src/jobs/factura-global';
import { agotarReintentosExportacion, procesarExportacion } from './src/jobs/exportar';
import { sincronizarRecibidas } from './src/jobs/recibidas';
import { agotarReintentos, procesarFactura } from './src/jobs/procesar-factura';
import { DEAD_LETTER_QUEUE, JobMessageSchema, type JobMessage } from './src/lib/queue';
import { backoffSeconds } from './src/lib/retry';
import { RateLimiter } from './src/lib/rate-limiter';
import { CircuitoPac } from './src/pac/circuito';
import { WebhookEndpoint } from './src/webhooks/delivery';

// The Worker's entry and composition root: the API, the admin panel and the autofactura portal mounted side by side, the queue
// consumer and the cron, each building its dependencies from the bindings in src/deps.ts.

export { CircuitoPac, RateLimiter, WebhookEndpoint };

const app = createApp({ '/admin': adminApp });
// mounted apart: createApp takes apps of one Hono env type, and the portal's (no session) is not the panel's
app.route('/autofactura', autofacturaApp);

const JOBS = {
  timbrar: { procesar: procesarFactura, agotar: agotarReintentos },
  cancelar: { procesar: procesarCancelacion, agotar: agotarReintentosCancelacion },
  exportar: { procesar: procesarExportacion, agotar: agotarReintentosExportacion },
  enviar: { procesar: procesarEnvio, agotar: agotarReintentosEnvio },
} as const;

async function ejecutar(deps: Deps, cola: string, msg: Message<JobMessage>): Promise<void> {
  const parsed = JobMessageSchema.safeParse(msg.body);
  if (!parsed.success) {
    deps.log.error('mensaje inválido en la cola', { body: msg.body });
    msg.ack();
    return;
  }
  const job = JOBS[parsed.data.kind];
  try {
    if (cola === DEAD_LETTER_QUEUE) {
      await job.agotar(deps, parsed.data.id);
      msg.ack();
      return;
    }
    const r = await job.procesar(deps, parsed.data.id, msg.attempts, { paso: parsed.data.paso, id: msg.id });
    if (r.action === 'retry') msg.retry({ delaySeconds: r.delaySeconds });
    else msg.ack();
  } catch (err) {
    // Unexpected (storage hiccup, bug): retry with the same backoff; the DLQ ends it (`error` / `cancelacion_rechazada`).
    deps.log.error((err as Error).message, { id: parsed.data.id });
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
  }
}

export default {
  fetch: app.fetch,

  async queue(batch: MessageBatch<JobMessage>, env: Env, ctx: ExecutionContext) {
    const deps = depsDe(env, ctx);
    // The messages of a batch are independent rows: run them together, so one job's storage round trips
    // overlap the others' instead of queueing behind them.
    await Promise.all(batch.messages.map((msg) => ejecutar(deps, batch.queue, msg)));
  },

  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext) {
    const deps = depsDe(env, ctx);
    // the receptors' inbox is a separate pull from the PACs: its failure must not stop the safety net
    // and so must the CSD-expiry notices' (each one recorded is sent once, whatever run it falls in)
    // and the automatic facturas globales' (a period's recibos are reserved once, whatever run issues them)
    const [r, recibidas, avisosCsd, globales] = await Promise.all([
      barrer(deps),
      sincronizarRecibidas(deps).catch((err: Error) => (deps.log.error('cancelaciones recibidas', { error: err.message }), 0)),
      avisarCsd(deps).catch((err: Error) => (deps.log.error('avisos de CSD', { error: err.message }), 0)),
      emitirGlobalesAutomaticas(deps).catch((err: Error) => (deps.log.error('facturas globales', { error: err.message }), 0)),
    ]);
    if (Object.values(r).some(Boolean) || recibidas || avisosCsd || globales) deps.log.info('barrido', { ...r, recibidas, avisosCsd, globales });
  },
} satisfies ExportedHandler<Env, JobMessage>;
