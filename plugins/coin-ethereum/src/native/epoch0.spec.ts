import { loadEthashNative, type EthashNative, type LightCache } from './index';

const hex = (b: Buffer): string => b.toString('hex');
const bytes = (h: string): Buffer => Buffer.from(h, 'hex');

describe('ethash native addon at epoch 0', () => {
  let native: EthashNative;
  let cache: LightCache;
  let datasetBytes: number;

  beforeAll(async () => {
    native = loadEthashNative();
    datasetBytes = native.datasetSize(0);
    cache = await native.buildLightCache(native.cacheSize(0), native.seedHash(0));
  }, 60_000);

  describe('when the light cache is built', () => {
    it('has the sizes and digest of ethereum/tests ethash_tests.json "first" (facts §4.2, §4.6)', () => {
      expect(cache.bytes).toBe(16_776_896);
      expect(datasetBytes).toBe(1_073_739_904);
      expect(hex(cache.digest())).toBe('35ded12eecf2ce2e8da2e15c06d463aae9b84cb2530a00b932e4bbc484cde353');
    });

    it('computes the published dataset items (facts §4.6)', () => {
      const items: [number, string][] = [
        [0, '22db2229cc516c46d2210086f1ab417e0bd1c3827c5ecc6af7d3a33f8dae332bab5aa31fc58e71cff27666e81bf418775e74839743ca9d410fdf514d009bcec2'],
        [1, 'e5263184c4985ca0570d1ebdf507049e427dc86c7e96485739c0960a2ce4e6eb386d5aa39471876225c23c5b69443f6d5db8120fe3204cedcfefd0347f69ec1d'],
        [1000000, '7aa3872bb6fe1e306f133b773c21f7f121c6982921a5c66908eeca90a20ac01f0dc6b72a6bf170511abcf64794c554c7ca0c689af1da5d6a02eefe72c56816b2'],
        [1000001, 'e5e91a6bcbf480d117fd240183345aeb8a4660ba47927bd3768f27602fa3e67db04148172dc2baa69647989657016328549e0898ed01a6f353c060e7a3f3229f'],
        [16777184, '85d6044f696ec4a65140d9ce5a9f0224cdd23d5e83764f60e6ce0048638f5e4dd97f78c362548e7e6ef3632f6732a900ac197b5f60f5f9e789c7869ec329eb4e'],
        [16777185, 'ae16c67460239f2aa48aab8a7a6fe1076f77be26bda8bcbd85e7bbcf909a173da4cdb975e52bc6577418b911bfb8a18e2851f8b2e8887ef63ebeb8ef4ad05525'],
      ];
      for (const [index, item] of items) expect(hex(cache.datasetItem(index))).toBe(item);
      // 16777185 is the last item: the dataset has datasetBytes / 64 items
      expect(datasetBytes / 64 - 1).toBe(16777185);
    });
  });

  describe('when hashing the published rows', () => {
    // [source, header, nonce, mix, final]
    const rows: [string, string, bigint, string, string][] = [
      [
        'chfast test_cases block 0 (facts §4.1)',
        '2a8de2adf89af77358250bf908bf04ba94a6e8c3ba87775564a41d269a05e4ce',
        0x4242424242424242n,
        '58f759ede17a706c93f13030328bcea40c1d1341fb26f2facd21ceb0dae57017',
        'dd47fd2d98db51078356852d7c4014e6a5d6c387c35f40e2875b74a256ed7906',
      ],
      [
        'chfast test_cases block 2 (facts §4.1)',
        '100cbec5e5ef82991290d0d93d758f19082e71f234cf479192a8b94df6da6bfe',
        0x307692cf71b12f6dn,
        'e55d02c555a7969361cf74a9ec6211d8c14e4517930a00442f171bdb1698d175',
        'ab9b13423cface72cbec8424221651bc2e384ef0f7a560e038fc68c8d8684829',
      ],
      [
        'ethereum/tests ethash_tests.json "first" (facts §4.2)',
        '60fd9f3354a63d0b93307d4f0a3196d7284c718d7335ee677caebe78fc0bd922',
        0x4242424242424242n,
        '45c73dd21eb93306b93b4e9c4dc1bbd7767f1d73307f7d216c1cff8605560689',
        '4cf6e056930a9b35b07efa86dcd57ee3f8cfc78a1db06624a78c60e35751d2b8',
      ],
    ];

    it.each(rows)('%s: light hash gives mix and final', (_source, header, nonce, mix, final) => {
      const result = cache.hash(datasetBytes, bytes(header), nonce);
      expect(hex(result.mix)).toBe(mix);
      expect(hex(result.final)).toBe(final);
    });

    it.each(rows)('%s: quickFinal of the published mix is the final', (_source, header, nonce, mix, final) => {
      expect(hex(native.quickFinal(bytes(header), nonce, bytes(mix)))).toBe(final);
    });

    it('hashAsync gives what hash gives', async () => {
      const [, header, nonce, mix, final] = rows[0];
      const result = await cache.hashAsync(datasetBytes, bytes(header), nonce);
      expect(hex(result.mix)).toBe(mix);
      expect(hex(result.final)).toBe(final);
    });
  });

  describe('when a final meets a boundary exactly (chfast verify_boundary, facts §4.1)', () => {
    const header = bytes('e74e5e8688d3c6f17885fa5e64eb6718046b57895a2a24c593593070ab71f5fd');
    const nonce = 6666n;
    const final = '13c5a668bba6b86ed16098113d9d6a7a5cac1802e9c8f2d57c932d8818375eb7';

    it('has the published final', () => {
      expect(hex(cache.hash(datasetBytes, header, nonce).final)).toBe(final);
    });

    it('is a hit for boundary = final and final + 1, not for final - 1', async () => {
      const scan = async (boundary: string) =>
        (await native.scanLight(cache, datasetBytes, header, nonce, 1, bytes(boundary), 1)).hits.map((h) => h.nonce);
      expect(await scan(final)).toEqual([nonce]);
      expect(await scan(final.slice(0, -3) + 'eb8')).toEqual([nonce]);
      expect(await scan(final.slice(0, -3) + 'eb6')).toEqual([]);
    });
  });
});
