import http from 'node:http';

export interface Timed {
  ms: number;
  status: number;
  body: string;
}

/**
 * The bench's HTTP client: node:http over kept-alive connections, opened before a burst is measured (`warm`).
 * Azure Bot Service calls the bot over pooled HTTPS connections; opening 50 or 200 new TCP connections at the same
 * instant would measure this harness's connection setup, not the invoke.
 */
export class BurstClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(baseUrl: string, maxSockets: number) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** Opens `n` connections (n simultaneous GETs of `path`) and returns their timings. */
  async warm(n: number, path = '/healthz'): Promise<number[]> {
    const r = await Promise.all(Array.from({ length: n }, () => this.request('GET', path)));
    return r.map((x) => x.ms);
  }

  request(method: 'GET' | 'POST', path: string, body?: string): Promise<Timed> {
    return new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method,
          agent: this.agent,
          headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', () => resolve({ ms: performance.now() - t0, status: 0, body: '' }));
        },
      );
      req.on('error', () => resolve({ ms: performance.now() - t0, status: 0, body: '' }));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
