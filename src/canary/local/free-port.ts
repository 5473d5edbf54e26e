import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now (the kernel picks it). Another process could take it before the
 * service binds it; the service then fails to start and says so, which is rare enough on loopback.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port on 127.0.0.1'))));
    });
  });
}
