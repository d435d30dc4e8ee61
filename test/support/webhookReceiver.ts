import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../delivery/webhookSupportDelivery';

export interface ReceivedWebhook {
  readonly verified: boolean;
  readonly body: Record<string, unknown>;
}

/**
 * Partner support's endpoint on loopback: verifies each signature as a receiver should and answers
 * with the next of `statuses` (200 once they run out).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly secret: string,
    private readonly statuses: number[],
  ) {}

  static async start(secret: string, statuses: number[] = [], port = 0): Promise<WebhookReceiver> {
    const server = http.createServer();
    const receiver = new WebhookReceiver(server, secret, statuses);
    server.on('request', (req, res) => receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/merge-requests`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const timestamp = String(req.headers[TIMESTAMP_HEADER] ?? '');
      const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex')}`);
      const given = Buffer.from(String(req.headers[SIGNATURE_HEADER] ?? ''));
      this.received.push({
        verified: expected.length === given.length && timingSafeEqual(expected, given),
        body: JSON.parse(body) as Record<string, unknown>,
      });
      const status = this.statuses.shift() ?? 200;
      res.writeHead(status, status === 429 ? { 'retry-after': '2' } : {});
      res.end();
    });
  }
}
