// npm start: local HexaFac on http://127.0.0.1:8787 with a seeded sandbox application.
// 1. .dev.vars with fresh local secrets (master key, admin JWT secret, the sandbox PAC's own key pair)
// 2. D1 migrations, 3. idempotent seed (application EKU9003173C9 with the SAT test CSD, an admin), 4. a new test key,
// 5. wrangler dev.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adminSeedSql } from '../admin/auth';
import { leerCsd } from '../src/cfdi/csd';
import { SCOPES } from '../src/lib/auth';
import { encryptSecret, randomBytes, toBase64, toBase64Url } from '../src/lib/crypto';
import { insertKeySql } from './keys';
import { applyMigrations, execSql, q } from './lib/local-d1';
import { generarCertificadoPacSandbox } from './sandbox-pac-cert';

const root = process.cwd();
const devVarsPath = path.join(root, '.dev.vars');
export const SANDBOX_APP_ID = '01900000-0000-7000-8000-000000000001';
const ADMIN_EMAIL = 'admin@hexafac.local';
const PORT = process.env.PORT ?? '8787';

function readDevVars(): Record<string, string> {
  if (!existsSync(devVarsPath)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(devVarsPath, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = JSON.parse(m[2]!);
  }
  return vars;
}

async function ensureDevVars(): Promise<Record<string, string>> {
  const vars = readDevVars();
  let changed = false;
  const set = (k: string, v: string) => {
    vars[k] = v;
    changed = true;
  };
  if (!vars.MASTER_KEY) set('MASTER_KEY', toBase64(randomBytes(32)));
  if (!vars.ADMIN_JWT_SECRET) set('ADMIN_JWT_SECRET', toBase64Url(randomBytes(32)));
  if (!vars.ADMIN_PASSWORD) set('ADMIN_PASSWORD', toBase64Url(randomBytes(12)));
  if (!vars.SANDBOX_PAC_KEY_PEM || !vars.SANDBOX_PAC_CERT_PEM) {
    const pac = await generarCertificadoPacSandbox();
    set('SANDBOX_PAC_KEY_PEM', pac.keyPem);
    set('SANDBOX_PAC_CERT_PEM', pac.certPem);
  }
  // Lets test-mode webhooks reach a receiver on this machine; production never sets it.
  if (vars.ALLOW_LOCAL_WEBHOOKS !== 'true') set('ALLOW_LOCAL_WEBHOOKS', 'true');
  if (changed) {
    writeFileSync(devVarsPath, Object.entries(vars).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n') + '\n', { mode: 0o600 });
  }
  return vars;
}

async function seedSql(vars: Record<string, string>): Promise<string> {
  const cer = new Uint8Array(readFileSync(path.join(root, 'test/fixtures/EKU9003173C9.cer')));
  const key = new Uint8Array(readFileSync(path.join(root, 'test/fixtures/EKU9003173C9.key')));
  const { csd, pkcs8 } = await leerCsd(cer, key, '12345678a', { rfcEmisor: 'EKU9003173C9' });
  const llave = await encryptSecret(vars.MASTER_KEY!, new Uint8Array(pkcs8));
  // Régimen 601 (General de Ley Personas Morales) and CP 42501 are the SAT test issuer's published data.
  return `INSERT OR IGNORE INTO hexafac_client_applications
  (id, name, description, status, rfc, razon_social, regimen_fiscal, lugar_expedicion, csd_certificado, csd_no_certificado, csd_valido_hasta, csd_llave_cifrada)
VALUES (${q(SANDBOX_APP_ID)}, 'Sandbox', 'Aplicación de prueba con el CSD de pruebas del SAT', 'active', ${q(csd.rfc)}, ${q(csd.nombre)}, '601', '42501',
  ${q(csd.certificadoBase64)}, ${q(csd.noCertificado)}, ${q(csd.validoHasta.toISOString())}, ${q(llave)});
${await adminSeedSql({ email: ADMIN_EMAIL, name: 'Administrador', password: vars.ADMIN_PASSWORD! })}`;
}

async function main() {
  const vars = await ensureDevVars();
  applyMigrations();
  execSql(await seedSql(vars));
  const key = await insertKeySql({ applicationId: SANDBOX_APP_ID, mode: 'test', name: `npm start ${new Date().toISOString()}`, scopes: SCOPES });
  execSql(key.sql);
  const base = `http://127.0.0.1:${PORT}`;
  console.log(`
HexaFac local (sandbox)
  API:        ${base}/api/hexafac/v1   (docs: ${base}/api/hexafac/v1/docs)
  API key:    ${key.token}
  Admin:      ${base}/admin   ${ADMIN_EMAIL} / ${vars.ADMIN_PASSWORD}
  Try:        curl -H "Authorization: Bearer ${key.token}" ${base}/api/hexafac/v1/me
`);
  const dev = spawn(path.join(root, 'node_modules/.bin/wrangler'), ['dev', '--ip', '127.0.0.1', '--port', PORT, '--show-interactive-dev-session=false'], {
    stdio: 'inherit',
  });
  dev.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => dev.kill(sig));
}

main().catch((e: Error) => {
  console.error(`start: ${e.message}`);
  process.exit(1);
});
