import type { JobMessage } from './lib/queue';

// Bindings and secrets of the Worker (wrangler.toml + secrets / .dev.vars).
export interface Env {
  DB: D1Database;
  FACTURAS_QUEUE: Queue<JobMessage>;
  CFDI_BUCKET: R2Bucket;
  WEBHOOK_ENDPOINT: DurableObjectNamespace;
  /** One circuit breaker per PAC (src/pac/circuito.ts). */
  PAC_CIRCUITO: DurableObjectNamespace<import('./pac/circuito').CircuitoPac>;
  /** One request counter per API key (src/lib/rate-limiter.ts). */
  RATE_LIMITER: DurableObjectNamespace<import('./lib/rate-limiter').RateLimiter>;
  /** base64 of 32 random bytes: AES-GCM key for CSD private keys and webhook secrets at rest. */
  /** Cloudflare Email Service (send_email): the comprobantes' emails. */
  CORREO: SendEmail;
  /** The address the comprobantes are emailed from (a domain set up in Email Service); the emisor's name goes with it. */
  CORREO_REMITENTE?: string;
  MASTER_KEY: string;
  ADMIN_JWT_SECRET: string;
  /** The sandbox PAC's own stamping key pair (never the SAT's). */
  SANDBOX_PAC_KEY_PEM: string;
  SANDBOX_PAC_CERT_PEM: string;
  ALLOW_LOCAL_WEBHOOKS?: string;
  SW_SAPIEN_URL?: string;
  SW_SAPIEN_USER?: string;
  SW_SAPIEN_PASSWORD?: string;
  SW_SAPIEN_TOKEN?: string;
  FINKOK_URL?: string;
  FINKOK_USER?: string;
  FINKOK_PASSWORD?: string;
  /** Live PACs in failover order, comma-separated (default "sw-sapien,finkok"); an application may set its own. */
  PACS_LIVE?: string;
  /** The SAT's ConsultaCFDIService; by default production, or the SAT's test service when the PACs are test hosts. */
  SAT_CONSULTA_URL?: string;
  /**
   * Stamping certificates (PEM, one or more) trusted for the SelloSAT of received CFDIs with live keys: the SAT's
   * certificates that PACs stamp with, as the operator downloads them from the SAT. Test keys trust the sandbox PAC's too.
   */
  CERTIFICADOS_TIMBRADO?: string;
}

export const API_BASE = '/api/hexafac/v1';
