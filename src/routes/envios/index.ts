import { createRouter } from '../../lib/create-app';
import { enviarHandler, listarHandler } from './envios.handlers';
import { KINDS, rutaEnviar, rutaListar } from './envios.routes';

const router = createRouter();
for (const k of KINDS) router.openapi(rutaEnviar(k), enviarHandler(k)).openapi(rutaListar(k), listarHandler(k));

export default router;
