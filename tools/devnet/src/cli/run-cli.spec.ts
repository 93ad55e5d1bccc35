import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlockTemplate } from '../template/block-template';
import { handBlock } from '../testing/hand-block';
import { rpc } from '../testing/rpc-client';
import { runCli } from './run-cli';

const ARGS = ['node', 'lode-devnet', '--port', '0', '--nbits', '207fffff', '--mempool-refresh-seconds', '0', '--max-blocks', '1'];

/** Starts the CLI in-process; resolves its URL from the "listening on" line. */
function start(extra: string[]): { lines: string[]; url: Promise<string>; done: Promise<number> } {
  const lines: string[] = [];
  let found: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (found = resolve));
  const done = runCli([...ARGS, ...extra], (line) => {
    lines.push(line);
    const m = /listening on (\S+)/.exec(line) ?? /"url":"([^"]+)"/.exec(line);
    if (m) found(m[1]);
  });
  return { lines, url, done };
}

describe('runCli', () => {
  describe('when a block arrives with --max-blocks 1', () => {
    it('prints the listening, rejected and accepted lines and exits with 0', async () => {
      const cli = start(['--rpcuser', 'u', '--rpcpassword', 'p']);
      const url = await cli.url;
      const t = (await rpc<BlockTemplate>(url, 'getblocktemplate', [{ rules: ['segwit'] }], 'u:p')).result;
      expect((await rpc(url, 'submitblock', [handBlock(t, { pow: 'invalid' }).hex], 'u:p')).result).toBe('high-hash');
      const block = handBlock(t);
      expect((await rpc(url, 'submitblock', [block.hex], 'u:p')).result).toBeNull();
      expect(await cli.done).toBe(0);
      expect(cli.lines).toEqual([
        url.replace(/^/, 'devnet: listening on '),
        expect.stringMatching(/^devnet: block rejected: high-hash \(block [0-9a-f]{64}\)$/),
        `devnet: block 1 accepted ${block.hash} by coinbase tag /Lode/ (${t.transactions.length + 1} txs)`,
        'devnet: reached --max-blocks 1, stopping',
        'devnet: stopped',
      ]);
    });
  });

  describe('when run with --json and cookie auth', () => {
    it('prints one JSON object per event, the cookie file among them', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lode-devnet-cli-spec-'));
      const cli = start(['--json', '--datadir', dir]);
      const url = await cli.url;
      const cookie = JSON.parse(cli.lines[1]) as { event: string; path: string };
      expect(cookie.event).toBe('cookie');
      const auth = readFileSync(cookie.path, 'utf8');
      const t = (await rpc<BlockTemplate>(url, 'getblocktemplate', [{ rules: ['segwit'] }], auth)).result;
      await rpc(url, 'submitblock', [handBlock(t).hex], auth);
      expect(await cli.done).toBe(0);
      expect(cli.lines.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['listening', 'cookie', 'block', 'max-blocks', 'stopped']);
      rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('with --pow', () => {
    it('sha256: accepts a block whose single SHA-256 meets the target (its sha256d does not)', async () => {
      const cli = start(['--rpcuser', 'u', '--rpcpassword', 'p', '--pow', 'sha256']);
      const url = await cli.url;
      const t = (await rpc<BlockTemplate>(url, 'getblocktemplate', [{ rules: ['segwit'] }], 'u:p')).result;
      const forSha256d = handBlock(t, { alsoInvalidFor: 'sha256' });
      expect((await rpc(url, 'submitblock', [forSha256d.hex], 'u:p')).result).toBe('high-hash');
      const block = handBlock(t, { powHash: 'sha256', alsoInvalidFor: 'sha256d' });
      expect((await rpc(url, 'submitblock', [block.hex], 'u:p')).result).toBeNull();
      expect(await cli.done).toBe(0);
      // the block id stays sha256d(header)
      expect(cli.lines).toContain(`devnet: block 1 accepted ${block.hash} by coinbase tag /Lode/ (${t.transactions.length + 1} txs)`);
      expect(cli.lines).toContain(`devnet: block rejected: high-hash (block ${forSha256d.hash})`);
    });

    it('sha256d (the default): refuses that block with high-hash', async () => {
      const cli = start(['--rpcuser', 'u', '--rpcpassword', 'p']);
      const url = await cli.url;
      const t = (await rpc<BlockTemplate>(url, 'getblocktemplate', [{ rules: ['segwit'] }], 'u:p')).result;
      const block = handBlock(t, { powHash: 'sha256', alsoInvalidFor: 'sha256d' });
      expect((await rpc(url, 'submitblock', [block.hex], 'u:p')).result).toBe('high-hash');
      expect((await rpc(url, 'submitblock', [handBlock(t).hex], 'u:p')).result).toBeNull();
      expect(await cli.done).toBe(0);
      expect(cli.lines).toContain(`devnet: block rejected: high-hash (block ${block.hash})`);
    });
  });
});
