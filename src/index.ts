import { app } from './app';
import type { Env } from './env';
import type { FacturaMensaje } from './jobs/messages';
import { WebhookEndpoint } from './webhooks/delivery';

export { WebhookEndpoint };

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<FacturaMensaje>, env: Env, ctx: ExecutionContext) {
    // Filled by the stamping pipeline (src/jobs).
    for (const msg of batch.messages) msg.ack();
  },
} satisfies ExportedHandler<Env, FacturaMensaje>;
