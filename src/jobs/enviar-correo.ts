import type { Deps } from '../deps';
import type { JobResult } from '../lib/queue';
import { agotarEnvio, entregarEnvio } from '../services/envios';

// EnviarCorreoJob: an envío pendiente → enviado, or retried with backoff until the dead-letter queue ends it
// as error. At-least-once: it acts only on a pendiente row, and a resend carries the same Message-ID.
// It never touches the comprobante, so a failing mailbox or binding cannot hold a stamping back.

export const procesarEnvio = (deps: Deps, id: string, intento: number): Promise<JobResult> => entregarEnvio(deps, id, intento);

export const agotarReintentosEnvio = (deps: Deps, id: string): Promise<void> => agotarEnvio(deps, id);
