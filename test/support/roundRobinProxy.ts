import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on loopback that hands each request to the next of several bot instances, as a load
 * balancer in front of a bot's messaging endpoint does. Counts what each instance was given.
 */
export class RoundRobinProxy {
  readonly served: number[];
  private next = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly targets: readonly string[],
  ) {
    this.served = targets.map(() => 0);
  }

  static async start(targets: readonly string[]): Promise<RoundRobinProxy> {
    const server = http.createServer();
    const proxy = new RoundRobinProxy(server, targets);
    server.on('request', (req, res) => proxy.forward(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** The next request goes to this instance (by index), whatever the turn would be. */
  pin(index: number): void {
    this.next = index;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const index = this.next;
    this.next = (this.next + 1) % this.targets.length;
    this.served[index] = (this.served[index] ?? 0) + 1;
    const target = new URL(req.url ?? '/', this.targets[index]);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  }
}
