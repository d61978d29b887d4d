import { app } from './app';
import type { Env } from './env';
import { agotarReintentosCancelacion, procesarCancelacion } from './jobs/cancelar-factura';
import { barrer } from './jobs/barrido';
import { agotarReintentos, procesarFactura } from './jobs/procesar-factura';
import { DEAD_LETTER_QUEUE, JobMessageSchema, type JobMessage } from './lib/queue';
import { WebhookEndpoint } from './webhooks/delivery';

export { WebhookEndpoint };


export default {
  fetch: app.fetch,

  async queue(batch: MessageBatch<JobMessage>, env: Env) {
    for (const [i, msg] of batch.messages.entries()) {
      // Between jobs, let the requests this isolate also serves run: without a timer turn, a batch whose
      // storage calls stay inside the process (wrangler dev) holds every request until it ends.
      if (i > 0) await new Promise((siga) => setTimeout(siga, 0));
      const parsed = JobMessageSchema.safeParse(msg.body);
      if (!parsed.success) {
        console.error(JSON.stringify({ level: 'error', message: 'mensaje inválido en la cola', body: msg.body }));
        msg.ack();
        continue;
      }
      try {
        const cancelar = parsed.data.kind === 'cancelar';
        if (batch.queue === DEAD_LETTER_QUEUE) {
          await (cancelar ? agotarReintentosCancelacion : agotarReintentos)(env, parsed.data.id);
          msg.ack();
          continue;
        }
        const r = await (cancelar ? procesarCancelacion : procesarFactura)(env, parsed.data.id, msg.attempts);
        if (r.accion === 'retry') msg.retry({ delaySeconds: r.delaySeconds });
        else msg.ack();
      } catch (err) {
        // Unexpected (storage hiccup, bug): retry with the queue's backoff; the DLQ ends it (`error` / `cancelacion_rechazada`).
        console.error(JSON.stringify({ level: 'error', message: (err as Error).message, id: parsed.data.id }));
        msg.retry({ delaySeconds: Math.min(10 * 2 ** msg.attempts, 900) });
      }
    }
  },

  async scheduled(_controller: ScheduledController, env: Env) {
    const r = await barrer(env);
    if (r.eventos || r.reencolados) console.log(JSON.stringify({ level: 'info', message: 'barrido', ...r }));
  },
} satisfies ExportedHandler<Env, JobMessage>;
