/** Starts Rampart's HTTP server on Node. */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { RampartError, type ControlPlaneConfig } from '@rampart/core';
import { issuerFromConfig, type Clock, type OidcIssuer } from '@rampart/identity';
import type { Hono } from 'hono';
import { createApp } from './create-app.js';
import { DEFAULT_LISTEN, parseListenAddress, urlHost } from './listen-address.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  config: ControlPlaneConfig;
  /** Dates tokens and key rotations. @default the system clock */
  clock?: Clock;
  /** `host:port` instead of `listen` from the config. @default config.listen ?? '127.0.0.1:8080' */
  listen?: string;
  /** Relative paths of the config are resolved against it. @default process.cwd() */
  baseDir?: string;
  /** Called when a master key is generated into `data_dir/master.key`. @default none */
  onMasterKeyGenerated?: (file: string) => void;
  /** Told about every request that failed inside the server. @default ignored */
  onError?: (error: unknown) => void;
}

/** A running server. */
export interface RunningServer {
  /** `http://<host>:<port>` with the port actually bound. */
  url: string;
  /** The issuer it serves; `issuer.issuerUrl` is `issuer_url`, or `url` when none is configured. */
  issuer: OidcIssuer;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

/**
 * Listens, opens the signing keys (creating the first key, and the master key, when there are
 * none) and serves the issuer documents. Without `issuer_url` the issuer is the server's own
 * address: enough for the sandbox, while AWS needs an https:// issuer.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const address = parseListenAddress(options.listen ?? options.config.listen ?? DEFAULT_LISTEN);
  let app: Hono | undefined;
  const server = createAdaptorServer({
    fetch: (request: Request) =>
      app === undefined ? new Response('starting', { status: 503 }) : app.fetch(request),
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new RampartError(
          'SERVER_LISTEN_FAILED',
          `cannot listen on ${address.host ?? '*'}:${address.port} (${error.code ?? error.message})`,
          {
            hint: 'Stop the process using the port, or pick another with listen: or --listen HOST:PORT.',
            cause: error,
          },
        ),
      );
    });
    server.listen(address.port, address.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(address.host)}:${port}`;
  try {
    const issuer = issuerFromConfig({
      config: options.config,
      issuerUrl: options.config.issuer_url ?? url,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
      ...(options.onMasterKeyGenerated === undefined
        ? {}
        : { onMasterKeyGenerated: options.onMasterKeyGenerated }),
    });
    await issuer.keys.ensureActive();
    app = createApp({
      issuer,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
    return { url, issuer, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
