// `wrangler dev` the way a throughput measurement must run it (local-stack.ts, `benchmark: true`): wrangler's own
// dev engine (unstable_startWorker, what the `wrangler dev` command runs) with the DevTools inspector off and
// warnings-only logs. The CLI has no switch for either cost, and both are per request, in the same 2 cores:
// - With the inspector on, wrangler's InspectorProxyWorker enables the DevTools Network domain, so every subrequest
//   of the Worker (each D1 query, R2 put, queue send) raises four Network.* events that it parses and relays, one
//   HTTP request each, to wrangler's Node process, which formats them and appends them to its debug log file
//   (~/.config/.wrangler/logs) whatever --log-level says.
// - With info logs, Miniflare posts one "POST /path 202" line per request to Node over a loopback HTTP call.
// Usage: tsx scripts/lib/wrangler-dev-bench.ts <port> [persist dir]; SIGTERM/SIGINT stop it.
import { unstable_startWorker } from 'wrangler';

const [port, persistTo] = process.argv.slice(2);
const worker = await unstable_startWorker({
  config: 'wrangler.toml',
  dev: {
    server: { hostname: '127.0.0.1', port: Number(port) },
    inspector: false,
    logLevel: 'warn',
    persist: persistTo,
    // GET /__scheduled runs the cron handler (local-stack.ts fires it on a timer), as `wrangler dev --test-scheduled`.
    testScheduled: true,
    watch: false,
    liveReload: false,
  },
});
await worker.ready;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void worker.dispose().finally(() => process.exit(0));
  });
}
