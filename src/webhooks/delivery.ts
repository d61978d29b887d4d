import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';

/** One instance per webhook endpoint: stores, signs and delivers its events in order. */
export class WebhookEndpoint extends DurableObject<Env> {}
