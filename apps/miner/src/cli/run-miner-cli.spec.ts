import { runMinerCli } from './run-miner-cli';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runMinerCli(['node', 'lode-miner', ...args], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

describe('runMinerCli', () => {
  describe('when an option is invalid', () => {
    it.each([
      [['--url', 'http://127.0.0.1:3333', '--user', 'w'], 'stratum URL "http://127.0.0.1:3333" has scheme "http"'],
      [['--url', 'stratum+tcp://127.0.0.1:3333'], 'no worker name: give --user <worker>'],
      [['--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--threads', 'two'], "--threads must be an integer of 1..1024, got 'two'"],
      [['--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--suggest-difficulty', '0'], "--suggest-difficulty must be a finite number > 0, got '0'"],
      [['--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--stats-interval', '-1'], "--stats-interval must be a finite number >= 0, got '-1'"],
      [['--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--exit-after-accepted', '1.5'], "--exit-after-accepted must be an integer >= 1, got '1.5'"],
      [['--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--version-rolling-mask', '1fffe00g'], "--version-rolling-mask must be a non-zero 32-bit mask of up to 8 hex digits such as 1fffe000, got '1fffe00g'"],
      [['--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--version-rolling-mask', '00000000'], "--version-rolling-mask must be a non-zero 32-bit mask of up to 8 hex digits such as 1fffe000, got '00000000'"],
      [['--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--minimum-difficulty', '-1'], "--minimum-difficulty must be a finite number >= 0, got '-1'"],
      [['--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--no-configure', '--minimum-difficulty', '2048'], '--minimum-difficulty is asked for through mining.configure, which --no-configure turns off'],
      [['--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--no-version-rolling', '--version-rolling-mask', '1fffe000'], '--version-rolling-mask and --no-version-rolling contradict each other: give one'],
    ])('exits 2 and says what is wrong (%j)', async (args, message) => {
      const { code, stderr } = await run(...args);
      expect(code).toBe(2);
      expect(stderr).toContain(`lode-miner: ${message}`);
    });

    it('exits 2 on an option commander refuses', async () => {
      const { code, stderr } = await run('--url', 'stratum+tcp://127.0.0.1:3333', '--log-level', 'loud');
      expect(code).toBe(2);
      expect(stderr).toContain("option '--log-level <level>' argument 'loud' is invalid");
    });

    it('exits 2 for a coin no plugin contributes', async () => {
      const { code, stderr } = await run('--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', '--coin', 'ltc');
      expect(code).toBe(2);
      expect(stderr).toContain("no loaded plugin contributes coin 'ltc' (loaded: btc, eth, etc, wart)");
    });
  });

  describe('when asked for help', () => {
    it('documents the log lines and exits 0', async () => {
      const { code, stdout } = await run('--help');
      expect(code).toBe(0);
      expect(stdout).toContain('miner: share accepted job');
      expect(stdout).toContain('--exit-after-accepted <n>');
      expect(stdout).toContain('--version-rolling-mask <hex>');
      expect(stdout).toContain('miner: configured version-rolling mask 1fffe000 (asked ffffffff)');
      expect(stdout).toContain('miner: version mask now 1f7fe000');
      expect(stdout).toContain('stratum1+tcp://  EthProxy');
      expect(stdout).toContain('stratum2+tcp://  NiceHash EthereumStratum/1.0.0');
    });
  });

  describe('when the coin is an ethash coin', () => {
    it.each([
      ['stratum+tcp', 'plain stratum (stratum)'],
      ['stratum1+tcp', 'EthProxy (stratum1)'],
      ['stratum2+tcp', 'EthereumStratum/1.0.0 (stratum2)'],
      ['stratum3+tcp', 'EthereumStratum/2.0.0 (stratum3)'],
    ])('speaks the dialect of the %s scheme and says so first', async (scheme, name) => {
      // port 1: nothing listens, the miner retries until --exit-after-seconds
      const { code, stdout } = await run('--url', `${scheme}://127.0.0.1:1`, '-u', 'w', '--coin', 'eth', '--threads', '1', '--exit-after-seconds', '0.2');
      expect(code).toBe(0);
      expect(stdout).toContain(`miner: speaking ${name} to 127.0.0.1:1`);
      expect(stdout).toContain(`miner: connecting to ${scheme}://127.0.0.1:1 (attempt 1)`);
    });
  });

  describe('when --metrics is given', () => {
    it('serves the miner metrics while it runs and says where', async () => {
      let stdout = '';
      // port 1: nothing listens, the miner retries until --exit-after-seconds
      const running = runMinerCli(
        ['node', 'lode-miner', '--url', 'stratum+tcp://127.0.0.1:1', '-u', 'w', '--threads', '1', '--metrics', '127.0.0.1:0', '--exit-after-seconds', '3'],
        { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } },
      );
      while (!/connecting to/.test(stdout)) await new Promise((r) => setTimeout(r, 20));
      const url = /metrics endpoint listening at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(stdout)?.[1];
      expect(url).toBeDefined();
      const text = await (await fetch(url as string)).text();
      expect(text).toMatch(/lode_miner_connection_attempts_total [1-9]/);
      expect(text).toContain('lode_miner_info{coin="btc",dialect="bitcoin",user_agent="lode-miner/0.1.0"');
      expect(text).toContain('lode_miner_threads 1');
      expect(await running).toBe(0);
      await expect(fetch(url as string)).rejects.toThrow();
    });
  });
});
