import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { firstValueFrom } from 'rxjs';
import { LodeError } from '../errors';
import type { LodeLogger } from '../logger';
import { StratumServer } from './stratum-server';
import { type OpensslCert, selfSignedCert } from './testing/openssl.test-helper';
import { RawClient, until } from './testing/raw-client.test-helper';

interface Logged {
  level: string;
  msg: string | undefined;
  obj: Record<string, unknown>;
}

/** A LodeLogger keeping every entry (children share the list and add their bindings). */
function recordingLogger(entries: Logged[], bindings: object = {}): LodeLogger {
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      entries.push({ level, msg, obj: { ...bindings, ...obj } });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => recordingLogger(entries, { ...bindings, ...b }) };
}

/** The SHA-256 fingerprint of the certificate a new TLS connection to `port` is shown. */
async function presentedFingerprint(port: number): Promise<string> {
  const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
  try {
    await new Promise<void>((done, fail) => {
      socket.once('secureConnect', () => done());
      socket.once('error', fail);
    });
    return socket.getPeerCertificate().fingerprint256;
  } finally {
    socket.destroy();
  }
}

/** Polls new connections until one is shown `fingerprint` (bounded). */
async function untilPresented(port: number, fingerprint: string): Promise<void> {
  const deadline = Date.now() + 15000;
  let seen = '';
  while ((seen = await presentedFingerprint(port)) !== fingerprint) {
    if (Date.now() > deadline) throw new Error(`port ${port} still shows ${seen}, expected ${fingerprint}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('StratumServer with TLS certificate files', () => {
  let dir: string;
  let one: OpensslCert;
  let two: OpensslCert;
  let caseNo = 0;
  const servers: StratumServer[] = [];
  const clients: RawClient[] = [];

  /** Fresh live files for one test, holding `cert`. */
  function liveFiles(cert: OpensslCert): { certFile: string; keyFile: string } {
    const caseDir = join(dir, `case-${++caseNo}`);
    mkdirSync(caseDir);
    const files = { certFile: join(caseDir, 'live-cert.pem'), keyFile: join(caseDir, 'live-key.pem') };
    copyFileSync(cert.certFile, files.certFile);
    copyFileSync(cert.keyFile, files.keyFile);
    return files;
  }

  async function start(files: { certFile: string; keyFile: string }, log: Logged[]): Promise<{ server: StratumServer; port: number }> {
    const server = new StratumServer({ host: '127.0.0.1', port: 0, tls: { ...files, watchIntervalMs: 50 } }, recordingLogger(log));
    servers.push(server);
    server.connections$.subscribe((conn) => conn.lines$.subscribe((line) => conn.send(`echo ${line}`)));
    return { server, port: (await server.listen()).port };
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lode-tls-reload-'));
    one = selfSignedCert(dir, 'one', 'one.lode.test');
    two = selfSignedCert(dir, 'two', 'two.lode.test');
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.close('test over');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the files at start and serves that certificate', async () => {
    const log: Logged[] = [];
    const { server, port } = await start(liveFiles(one), log);
    await expect(presentedFingerprint(port)).resolves.toBe(one.fingerprint256);
    expect(server.tlsCertificate).toMatchObject({ subject: 'CN=one.lode.test', fingerprint256: one.fingerprint256 });
    expect(log.find((e) => e.msg === 'TLS certificate loaded')?.obj).toMatchObject({ fingerprint256: one.fingerprint256, subject: 'CN=one.lode.test' });
  });

  it('serves new connections with the new certificate once the files change; an open connection stays', async () => {
    const log: Logged[] = [];
    const files = liveFiles(one);
    const { server, port } = await start(files, log);
    const open = await RawClient.tls(port);
    clients.push(open);
    expect((open.socket as tls.TLSSocket).getPeerCertificate().fingerprint256).toBe(one.fingerprint256);

    copyFileSync(two.certFile, files.certFile);
    copyFileSync(two.keyFile, files.keyFile);
    await untilPresented(port, two.fingerprint256);

    const reloaded = log.filter((e) => e.msg === 'TLS certificate reloaded').pop();
    expect(reloaded).toMatchObject({
      level: 'info',
      obj: { ...files, subject: 'CN=two.lode.test', issuer: 'CN=two.lode.test', fingerprint256: two.fingerprint256, validTo: expect.stringMatching(/ GMT$/) },
    });
    expect(server.tlsCertificate?.fingerprint256).toBe(two.fingerprint256);
    open.write('still here\n');
    await expect(open.next()).resolves.toBe('echo still here');
  });

  it('keeps the certificate in use when a reload fails, and takes the next good pair', async () => {
    const log: Logged[] = [];
    const files = liveFiles(one);
    const { server, port } = await start(files, log);

    // A renewal caught half-way: the new certificate with the old key.
    copyFileSync(two.certFile, files.certFile);
    await until(() => log.some((e) => e.msg === 'TLS certificate reload failed, keeping the certificate in use'), 'the failed reload');
    const failed = log.find((e) => e.msg === 'TLS certificate reload failed, keeping the certificate in use') as Logged;
    expect(failed.level).toBe('warn');
    expect(failed.obj).toMatchObject({ ...files, kept: one.fingerprint256 });
    expect(String(failed.obj['err'])).toMatch(/^TLS certificate .*live-cert\.pem and key .*live-key\.pem rejected: /);
    await expect(presentedFingerprint(port)).resolves.toBe(one.fingerprint256);

    // Garbage in the certificate file: still the old one.
    writeFileSync(files.certFile, 'not a certificate\n');
    await until(() => log.filter((e) => e.msg === 'TLS certificate reload failed, keeping the certificate in use').length === 2, 'the second failed reload');
    await expect(presentedFingerprint(port)).resolves.toBe(one.fingerprint256);
    expect(server.tlsCertificate?.fingerprint256).toBe(one.fingerprint256);

    // The renewal completes.
    copyFileSync(two.certFile, files.certFile);
    copyFileSync(two.keyFile, files.keyFile);
    await untilPresented(port, two.fingerprint256);
  });

  it('takes the PROXY header and the reloaded certificate together', async () => {
    const files = liveFiles(one);
    const server = new StratumServer({ host: '127.0.0.1', port: 0, proxyProtocol: 'v1', tls: { ...files, watchIntervalMs: 50 } });
    servers.push(server);
    const { port } = await server.listen();
    copyFileSync(two.certFile, files.certFile);
    copyFileSync(two.keyFile, files.keyFile);
    await until(() => server.tlsCertificate?.fingerprint256 === two.fingerprint256, 'the reload');
    const accepted = firstValueFrom(server.connections$);
    const raw = await RawClient.tcp(port);
    clients.push(raw);
    raw.write('PROXY TCP4 192.0.2.77 198.51.100.1 7777 3333\r\n');
    const secure = tls.connect({ socket: raw.socket, rejectUnauthorized: false });
    await new Promise<void>((done, fail) => {
      secure.once('secureConnect', () => done());
      secure.once('error', fail);
    });
    expect(secure.getPeerCertificate().fingerprint256).toBe(two.fingerprint256);
    const conn = await accepted;
    expect([conn.remoteAddress, conn.remotePort]).toEqual(['192.0.2.77', 7777]);
    secure.destroy();
  });

  it('throws LodeError(config) naming a file it cannot read at start', () => {
    const files = { certFile: join(dir, 'missing-cert.pem'), keyFile: one.keyFile };
    let caught: unknown;
    try {
      new StratumServer({ host: '127.0.0.1', port: 0, tls: files });
    } catch (e) {
      caught = e;
    }
    expect(LodeError.is(caught, 'config')).toBe(true);
    expect((caught as Error).message).toBe(`TLS certificate file ${files.certFile} cannot be read: ENOENT`);
  });

  it('throws LodeError(config) naming the files when they are not a matching certificate and key', () => {
    const files = { certFile: one.certFile, keyFile: two.keyFile };
    expect(() => new StratumServer({ host: '127.0.0.1', port: 0, tls: files })).toThrow(
      new RegExp(`^TLS certificate ${one.certFile} and key ${two.keyFile} rejected: .*key values mismatch`),
    );
  });
});
