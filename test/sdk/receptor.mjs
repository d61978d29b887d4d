// A local webhook endpoint for the scripts of the scratch project: every delivery's headers and raw body, in order.
import { createServer } from 'node:http';

export async function receptorDeWebhooks() {
  const entregas = [];
  const servidor = createServer((req, res) => {
    const partes = [];
    req.on('data', (c) => partes.push(c));
    req.on('end', () => {
      entregas.push({ headers: req.headers, body: Buffer.concat(partes) });
      res.end('ok');
    });
  });
  await new Promise((ok) => servidor.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${servidor.address().port}/hexafac`, entregas, close: () => servidor.close() };
}
