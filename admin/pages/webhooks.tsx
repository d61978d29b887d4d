import { Hono } from 'hono';
import type { AdminEnv } from '../auth';

export const webhooks = new Hono<AdminEnv>();
