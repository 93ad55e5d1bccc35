import { buildMinerCommand, minerCliConfig, type MinerCliConfig } from './miner-cli';

function parse(...args: string[]): MinerCliConfig {
  const command = buildMinerCommand().exitOverride();
  command.parse(['node', 'lode-miner', '--url', 'stratum+tcp://127.0.0.1:3333', '-u', 'w', ...args]);
  return minerCliConfig(command);
}

describe('minerCliConfig', () => {
  describe('when no BIP 310 option is given', () => {
    it('configures first and asks for the full mask ffffffff, no minimum difficulty', () => {
      expect(parse()).toMatchObject({ configure: true, versionRollingMask: 0xffffffff, minimumDifficulty: undefined, extranonceSubscribe: true });
    });
  });

  describe('when the BIP 310 options are given', () => {
    it('reads the mask as hex and the minimum difficulty as a number', () => {
      expect(parse('--version-rolling-mask', '1fffe000', '--minimum-difficulty', '2048')).toMatchObject({
        configure: true,
        versionRollingMask: 0x1fffe000,
        minimumDifficulty: 2048,
      });
      expect(parse('--version-rolling-mask', '0x00c00000').versionRollingMask).toBe(0x00c00000);
    });

    it('asks for no rolling with --no-version-rolling and sends no configure with --no-configure', () => {
      expect(parse('--no-version-rolling')).toMatchObject({ configure: true, versionRollingMask: null });
      expect(parse('--no-configure').configure).toBe(false);
    });
  });

  describe('when --metrics is given', () => {
    it('reads [host:]port, the host 127.0.0.1 by default, and is off without it', () => {
      expect(parse().metrics).toBeUndefined();
      expect(parse('--metrics', '9101').metrics).toEqual({ host: '127.0.0.1', port: 9101 });
      expect(parse('--metrics', '0.0.0.0:0').metrics).toEqual({ host: '0.0.0.0', port: 0 });
      expect(parse('--metrics', '[::1]:9101').metrics).toEqual({ host: '::1', port: 9101 });
    });

    it('refuses what is not [host:]port', () => {
      expect(() => parse('--metrics', 'localhost')).toThrow("--metrics must be [host:]port with a port of 0..65535, such as 127.0.0.1:9101, got 'localhost'");
      expect(() => parse('--metrics', '127.0.0.1:70000')).toThrow('--metrics must be [host:]port');
    });
  });
});
