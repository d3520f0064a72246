/**
 * The HTTP floor, for reading the ack-burst latency against (bench only, never shipped): a server that does no work
 * and answers every POST with the same bytes Rounds answered the last invoke with. BENCH_FLOOR=http is bare
 * node:http; BENCH_FLOOR=express is express 5 with the same JSON body parser Rounds mounts on /api/messages.
 * Whatever Rounds adds on top of these is its own cost (botbuilder, teams-ai, the store, the render).
 *
 * Run as a child process: PORT=<port> BENCH_FLOOR=http|express BENCH_FLOOR_ANSWER=<file> node bench/reference/floor-server.ts
 */
import fs from 'node:fs';
import http from 'node:http';
import express from 'express';

const answer = fs.readFileSync(process.env.BENCH_FLOOR_ANSWER ?? '/dev/null', 'utf8') || '{}';
const port = Number(process.env.PORT);
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(answer)) };

if (process.env.BENCH_FLOOR === 'express') {
  const app = express();
  app.set('etag', false);
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.post('/api/messages', express.json({ limit: '256kb', type: () => true }), (req, res) => {
    if (typeof req.body?.type !== 'string') return void res.status(400).end();
    res.status(200).set(headers).end(answer);
  });
  app.listen(port, '127.0.0.1');
} else {
  http
    .createServer((req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: unknown };
        if (typeof activity.type !== 'string') return void res.writeHead(400).end();
        res.writeHead(200, headers).end(answer);
      });
    })
    .listen(port, '127.0.0.1');
}
process.once('SIGTERM', () => process.exit(0));
