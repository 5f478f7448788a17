// The example's web service: answers /healthz and / over HTTP. The sandbox does not run it (its
// ECS tasks are emulated); the pipeline's smoke test calls `handle` directly.
import { createServer } from 'node:http';

/** The response to one request, as plain data. */
export function handle(request) {
  if (request.method === 'GET' && request.url === '/healthz') {
    return { status: 200, body: 'ok' };
  }
  if (request.method === 'GET' && request.url === '/') {
    return { status: 200, body: `hello from web (${process.env.IMAGE ?? 'local build'})` };
  }
  return { status: 404, body: 'not found' };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8080);
  createServer((req, res) => {
    const { status, body } = handle({ method: req.method, url: req.url });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(`${body}\n`);
  }).listen(port, () => console.log(`web listening on :${port}`));
}
