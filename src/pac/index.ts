import type { Mode } from '../lib/mode';
import type { Env } from '../env';
import { SandboxPac } from './sandbox';
import { SwSapienPac } from './sw-sapien';
import type { PacAdapter } from './types';

/**
 * The PAC for a mode: test keys always get the in-process sandbox (test mode never reaches a real PAC);
 * live keys get SW Sapien when its credentials are configured, otherwise none (the job marks `error`).
 */
export function pacPara(env: Env, mode: Mode): PacAdapter | null {
  if (mode === 'test') {
    return new SandboxPac({ keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store: env.CFDI_BUCKET });
  }
  if (env.SW_SAPIEN_URL && (env.SW_SAPIEN_TOKEN || (env.SW_SAPIEN_USER && env.SW_SAPIEN_PASSWORD))) {
    return new SwSapienPac({
      baseUrl: env.SW_SAPIEN_URL,
      token: env.SW_SAPIEN_TOKEN,
      user: env.SW_SAPIEN_USER,
      password: env.SW_SAPIEN_PASSWORD,
    });
  }
  return null;
}
