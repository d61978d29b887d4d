// npm start: local HexaFac on http://127.0.0.1:$PORT (8787) with a seeded sandbox application, its test key (the
// same one every run on this local state, while it is not revoked) and the admin login printed.
import { SECOND } from '../src/lib/time';
import { ADMIN_EMAIL, BARRIDO_LOCAL_MS, startLocalStack } from './lib/local-stack';

const port = Number(process.env.PORT ?? 8787);

startLocalStack({ port, verbose: true })
  .then(({ base, token, llaveReutilizada, adminPassword, wrangler }) => {
    console.log(`
HexaFac local (sandbox)
  API:        ${base}/api/hexafac/v1   (docs: ${base}/api/hexafac/v1/docs)
  API key:    ${token}   (${llaveReutilizada ? 'la misma de la vez anterior' : 'nueva; se reutiliza en los próximos arranques'})
  Admin:      ${base}/admin   ${ADMIN_EMAIL} / ${adminPassword}
  Try:        curl -H "Authorization: Bearer ${token}" ${base}/api/hexafac/v1/me
  Cron:       the sweep every ${BARRIDO_LOCAL_MS / SECOND} s (GET ${base}/__scheduled), which finishes what a restart left pendiente
`);
    wrangler.on('exit', (code) => process.exit(code ?? 0));
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => wrangler.kill(sig));
  })
  .catch((e: Error) => {
    console.error(`start: ${e.message}`);
    process.exit(1);
  });
