import net from 'node:net';

interface Pair {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
  /** Cut on the server's side only: the client learns of it when it next sends. */
  silent: boolean;
}

/**
 * A TCP proxy on loopback that can be cut: while cut, every connection through it is dropped and
 * new ones are refused, as when the database server behind it restarts. Points at host:port.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private cut = false;

  private constructor(private readonly server: net.Server) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => proxy.connect(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('the proxy is not listening');
    return address.port;
  }

  /** Drops every connection, and refuses new ones until `restore`. */
  interrupt(): void {
    this.cut = true;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  /**
   * Ends every connection on the server's side and tells the clients nothing: each finds its
   * connection gone only when it next sends on it, as after a network device dropped an idle one.
   * New connections are let through. Returns how many were dropped.
   */
  dropSilently(): number {
    const dropped = [...this.pairs];
    for (const pair of dropped) {
      pair.silent = true;
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      pair.upstream.destroy();
      pair.client.on('data', () => pair.client.destroy());
      // Unpiped, it stopped reading: it must read again to notice what the client sends.
      pair.client.resume();
      this.pairs.delete(pair);
    }
    return dropped.length;
  }

  restore(): void {
    this.cut = false;
  }

  close(): Promise<void> {
    this.interrupt();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: net.Socket, target: { host: string; port: number }): void {
    if (this.cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair: Pair = { client, upstream, silent: false };
    this.pairs.add(pair);
    for (const socket of [client, upstream]) socket.on('error', () => undefined);
    client.on('close', () => {
      this.pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on('close', () => {
      this.pairs.delete(pair);
      if (!pair.silent) client.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
