// The loopback server under hostile or failing input: it serves only files
// inside its folders (symbolic links included), only GET and HEAD, and one
// failing file costs one request, not the server.
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirRoute, folderRoute, startLoopbackServer, type LoopbackServer } from './server.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  error?: string;
}

function send(url: string, method = 'GET', options: { body?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((done) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method, headers: options.host ? { host: options.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', (err) => done({ status: res.statusCode ?? 0, headers: res.headers, body, error: err.message }));
    });
    req.on('error', (err) => done({ status: 0, headers: {}, body: '', error: err.message }));
    if (options.body) req.write(options.body);
    req.end();
  });
}

let server: LoopbackServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eb-srv-'));
  mkdirSync(join(dir, 'results'));
  writeFileSync(join(dir, 'results/ok.yaml'), 'a: 1\n');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve\n');
  symlinkSync('/etc/passwd', join(dir, 'results/passwd.yaml'));
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'results/secret.yaml'));
  symlinkSync(join(dir, 'results/ok.yaml'), join(dir, 'results/alias.yaml'));
  // A Hugging Face cache snapshot: its files link into the repository's blobs.
  const repo = join(dir, 'hub/models--org--m');
  mkdirSync(join(repo, 'blobs'), { recursive: true });
  mkdirSync(join(repo, 'snapshots/abc'), { recursive: true });
  writeFileSync(join(repo, 'blobs/123'), '{"model_type":"gpt2"}');
  symlinkSync('../../blobs/123', join(repo, 'snapshots/abc/config.json'));
  symlinkSync('/etc/hostname', join(repo, 'snapshots/abc/escape.json'));
  server = await startLoopbackServer([
    dirRoute('/results/', join(dir, 'results')),
    folderRoute('/models/', new Map([['m', join(repo, 'snapshots/abc')]])),
    // /proc/self/mem at offset 0 is unmapped: reading it fails with EIO once the response has started.
    (path) => (path === '/eio' ? { file: '/proc/self/mem' } : null),
    (path) => (path === '/gone' ? { file: join(dir, 'no-such-file') } : null),
  ]);
});
afterAll(() => server.close());

describe('startLoopbackServer', () => {
  it('serves files inside its folders, and links that stay inside', async () => {
    expect(await send(`${server.url}/results/ok.yaml`)).toMatchObject({ status: 200, body: 'a: 1\n' });
    expect(await send(`${server.url}/results/alias.yaml`)).toMatchObject({ status: 200, body: 'a: 1\n' });
    expect(await send(`${server.url}/models/m/config.json`)).toMatchObject({ status: 200, body: '{"model_type":"gpt2"}' });
  });

  it('serves nothing through a link that leaves the folder', async () => {
    for (const path of ['/results/passwd.yaml', '/results/secret.yaml', '/models/m/escape.json', '/results/../secret.txt', '/results/%2e%2e/secret.txt']) {
      expect((await send(`${server.url}${path}`)).status, path).toBe(404);
    }
  });

  it('answers only GET and HEAD; HEAD without a body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await send(`${server.url}/results/ok.yaml`, method);
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    const head = await send(`${server.url}/results/ok.yaml`, 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('5');
  });

  it('refuses request bodies, huge URLs and foreign hosts', async () => {
    // A raw request, written whole before the reply is read (Node's client races the early reply).
    const port = new URL(server.url).port;
    const raw = await new Promise<string>((done) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(`GET /results/ok.yaml HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 100\r\n\r\n${'x'.repeat(100)}`));
      let text = '';
      socket.on('data', (c) => (text += c.toString()));
      socket.on('close', () => done(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(raw).toContain('a GET request has no body');
    expect((await send(`${server.url}/results/${'a'.repeat(5000)}`)).status).toBe(414);
    expect((await send(`${server.url}/results/ok.yaml`, 'GET', { host: 'evil.example:80' })).status).toBe(403);
  });

  it('a read error (EIO) or a vanished file fails that request only; the server keeps serving', async () => {
    const eio = await send(`${server.url}/eio`);
    expect(eio.status === 0 || eio.error !== undefined || eio.body === '').toBe(true);
    expect(await send(`${server.url}/gone`)).toMatchObject({ status: 500, body: 'cannot read no-such-file (ENOENT)' });
    expect(await send(`${server.url}/results/ok.yaml`)).toMatchObject({ status: 200, body: 'a: 1\n' });
    // Many at once after the failures: all answered.
    const replies = await Promise.all(Array.from({ length: 50 }, () => send(`${server.url}/results/ok.yaml`)));
    expect(replies.every((r) => r.status === 200 && r.body === 'a: 1\n')).toBe(true);
  });
});
