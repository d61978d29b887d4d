import type { D1Migration } from '@cloudflare/vitest-pool-workers';
import type { Env as HexaFacEnv } from '../src/env';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('../worker');
      durableNamespaces: 'WebhookEndpoint';
    }
    interface Env extends HexaFacEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** Node-side writer for files the oracle checks (test/output/<path>). */
      TEST_OUTPUT: Fetcher;
      /** The SAT test CSD, base64 (.cer DER, .key encrypted PKCS#8, password 12345678a). */
      TEST_CSD_CER: string;
      TEST_CSD_KEY: string;
      /** Node-side webhook receiver (every outbound fetch lands there): PUT /guion/<host>, GET /recibidas/<host>. */
      TEST_RECEIVER: Fetcher;
      /** Node-side reader of the emails the send_email binding accepted: GET /<Message-ID> → base64 .eml copies. */
      TEST_CORREO: Fetcher;
    }
  }
}
