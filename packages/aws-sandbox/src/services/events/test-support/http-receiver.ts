// Test support: a local HTTP server standing in for an API destination endpoint. It records
// every request and answers with the responses a test queues (200 `{}` once none are queued).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the receiver got. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A running receiver. */
export interface HttpReceiver {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: ReceivedRequest[];
  /** Resolves with the `n`th request (1-based), now or when it arrives. */
  request(n: number): Promise<ReceivedRequest>;
  /** Responses (a status, or a status and a body) for the next requests, in order. */
  respondWith(...responses: (number | { status: number; body: string })[]): void;
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port. */
export async function startReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const responses: { status: number; body: string }[] = [];
  const waiters: { n: number; resolve: (request: ReceivedRequest) => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const response = responses.shift() ?? { status: 200, body: '{}' };
      res.statusCode = response.status;
      res.end(response.body);
      for (const waiter of waiters.filter((w) => w.n === requests.length)) {
        waiter.resolve(received);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    request(n) {
      const existing = requests[n - 1];
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    respondWith(...next) {
      for (const item of next) {
        responses.push(typeof item === 'number' ? { status: item, body: '{}' } : item);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
