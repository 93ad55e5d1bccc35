import { loadEthashNative, type EthashNative, type LightCache } from './index';

// Vectors from facts/ethash.md §4.1 (chfast test_cases), §4.6 (light-cache
// digests) and §4.7 (ETChash, computed by three implementations). Each epoch
// builds a 28-285 MB light cache; run with jest.slow.config.cjs.

const hex = (b: Buffer): string => b.toString('hex');
const bytes = (h: string): Buffer => Buffer.from(h, 'hex');
const BUILD_TIMEOUT = 180_000;

const native: EthashNative = loadEthashNative();

/** [header, nonce, mix, final] */
type Row = [string, bigint, string, string];

interface Epoch {
  /** what the row is, for the test name */
  name: string;
  /** epoch for the sizes */
  epoch: number;
  /** epoch for the seed (ethash: epoch; ETChash: 2 * epoch) */
  seedEpoch: number;
  rows: Row[];
  /** published seed, if the source lists it */
  seed?: string;
  /** published keccak256 of the light cache, if the source lists it */
  digest?: string;
}

// ETChash rows share one header and nonce (facts §4.7).
const ETC_HEADER = '2a8de2adf89af77358250bf908bf04ba94a6e8c3ba87775564a41d269a05e4ce';
const ETC_NONCE = 0x4242424242424242n;

const epochs: Epoch[] = [
  {
    name: 'ethash block 2683077 (facts §4.1)',
    epoch: 89,
    seedEpoch: 89,
    rows: [
      [
        '0313d03c5ed78694c90ecb3d04190b82d5b222c75ba4cab83383dde4d11ed512',
        0x8c5eaec000788d41n,
        '93e85c97b34ccd8091e09ddb513fdc9e680fa8898d4a0737205e60af710a3dcb',
        '00000000000204882a6213f68fe89bc368df25c1ad999f82532a7433e99bc48e',
      ],
    ],
  },
  {
    name: 'ethash blocks 5000000-5000002 (facts §4.1)',
    epoch: 166,
    seedEpoch: 166,
    rows: [
      [
        'bc544c2baba832600013bd5d1983f592e9557d04b0fb5ef7a100434a5fc8d52a',
        0x4617a20003ba3f25n,
        '94cd4e844619ee20989578276a0a9046877d569d37ba076bf2e8e34f76189dea',
        '0000000000001a5b18ae31b7417b7c045bc6dd78cc3b694c4bebfaefef6b3c56',
      ],
      [
        '2cd14041cfc3bd13064cfd58e26c0bddf1e97a4202c4b8076444a7cd4515f8c3',
        0x1af47f2007922384n,
        '46cb1268ac6b218eb01b9bd46f1533561d085620c9bfc23eadb8ab106f84b2d8',
        '0000000000000a4230cfc483a3f739a5101192c3d4f9c8314f4508be24c28257',
      ],
      [
        '9e79bced19062baf7c47e516ad3a1bd779222404d05b4205def30a13c7d87b5b',
        0xc9a044201dd998f2n,
        '028a19d6dcf0975972285f71a23fe3a468886ad24cc63f969158d427556d6bb5',
        '0000000000000eec80fbc4c472507b6c212c4f216043318f3fb3e696a0e80b06',
      ],
    ],
  },
  {
    name: 'ethash light-cache digest (facts §4.6)',
    epoch: 171,
    seedEpoch: 171,
    rows: [],
    digest: '468ef97519bd780a0dbd19d46c099118d6f4b777c1b8d0d4b0d6f62a5018100e',
  },
  {
    name: 'ethash block 5306861 (facts §4.1)',
    epoch: 176,
    seedEpoch: 176,
    rows: [
      [
        '53a005f209a4dc013f022a5078c6b38ced76e767a30367ff64725f23ec652a9f',
        0xd337f82001e992c5n,
        '26c64f063dac85ae3585526b446be6754faf044876aa3e20f770bea567e04d1d',
        '00000000000003f1554d8071ff0903268fcb70f30f4af3bf7ec7dc69cdf509f3',
      ],
    ],
  },
  {
    name: 'ETChash block 11,700,000 (facts §4.7)',
    epoch: 195,
    seedEpoch: 390,
    seed: 'e79f0f63030bf691445c2b9d0266b24a9619e355194067f2ad2c73a8e0a26c65',
    digest: '568d56c26053260e5724b58f886e53b74cdc8cc7932dc7a1053bd20c9a1f1f4a',
    rows: [
      [
        ETC_HEADER,
        ETC_NONCE,
        '5612b1aef7ded650a08f0d9e9287ec2ae491a8eb1182b759b29dea7715fb2024',
        '763752d68ce082929f87604872975ad894cd79c39964bd89754db4360b3af8e1',
      ],
    ],
  },
  {
    name: 'ETChash block 11,760,000 (facts §4.7)',
    epoch: 196,
    seedEpoch: 392,
    seed: '1ba62b295a00a4a170571539c1b90d97125bd99543c4fa38949778158873095d',
    rows: [
      [
        ETC_HEADER,
        ETC_NONCE,
        '330b0c4ee930e115bea106b16d562203f898e2d25e0747c7c0951d8f9bc81f6e',
        '33643f9c7d7efb394961f1c0551dcf65c39bdb7fccae394d8184be45dae70541',
      ],
    ],
  },
  {
    name: 'ETChash block 12,000,000 (facts §4.7)',
    epoch: 200,
    seedEpoch: 400,
    seed: '312b6007e9a1bb08b78dad2afdce476501adb039bc29ea6c27ede523fe87d3d4',
    digest: '505e2ddcee19fae7f8ae4ef7b8349c806839d26d330bb68766b957085b0720f0',
    rows: [
      [
        ETC_HEADER,
        ETC_NONCE,
        '7632a250063d15c1aa5520b5a34d14f4fef72a1672e4b2f7f27d941020c10dc8',
        '538fef2733d497de41c02f034ff6413f6f26c7ca4e43e045f5a67f6a21545815',
      ],
    ],
  },
  {
    name: 'ETChash block 14,400,000 (facts §4.7)',
    epoch: 240,
    seedEpoch: 480,
    seed: 'd5c95118769db0b793929918d57bc6e03a1df383280565fc4eb2af06cfb44ac7',
    rows: [
      [
        ETC_HEADER,
        ETC_NONCE,
        '4b6b4ff77af13483349189c3dfe5b2533cab976afee823d64f730009d89a409c',
        'eadd8073d3766688dd4fc625377069c497042b02438d1836038e4570ba60faa0',
      ],
    ],
  },
  {
    // facts §4.7 negative control: the seed of ETChash epoch 195 with plain
    // ethash epoch 390 sizes gives another mix and final
    name: 'ethash epoch 390, the negative control of ETChash epoch 195 (facts §4.7)',
    epoch: 390,
    seedEpoch: 390,
    rows: [
      [
        ETC_HEADER,
        ETC_NONCE,
        'b7f615a24b0fdaaaf9568f6afb5e57934b9341a666a56cf129d8ad49690e5994',
        '330b98ac20de8046fedb97ac7c57fb655ae175638bf4e975410031d072c5142c',
      ],
    ],
  },
  {
    name: 'ethash light-cache digest, a 285 MB cache (facts §4.6)',
    epoch: 2047,
    seedEpoch: 2047,
    rows: [],
    digest: '47e5913c1f0ffffa5ba1049f6d7960259a5e7e8736e3f032cc7a04e7b29ffb42',
  },
];

describe('ethash native addon on real epochs (slow)', () => {
  describe.each(epochs)('when the cache of $name is built (epoch $epoch, seed epoch $seedEpoch)', (e) => {
    let cache: LightCache | undefined;

    beforeAll(async () => {
      cache = await native.buildLightCache(native.cacheSize(e.epoch), native.seedHash(e.seedEpoch));
    }, BUILD_TIMEOUT);

    afterAll(() => {
      cache = undefined;
    });

    function built(): LightCache {
      if (cache === undefined) throw new Error('the cache was not built');
      return cache;
    }

    it('has the published seed and cache digest, where the source lists them', () => {
      expect(built().bytes).toBe(native.cacheSize(e.epoch));
      expect(e.seed ?? e.digest ?? e.rows.length).toBeTruthy();
      if (e.seed !== undefined) expect(hex(native.seedHash(e.seedEpoch))).toBe(e.seed);
      if (e.digest !== undefined) expect(hex(built().digest())).toBe(e.digest);
    });

    if (e.rows.length > 0) {
      it.each(e.rows)('hashes header %s nonce %s to the published mix and final', async (header, nonce, mix, final) => {
        const result = await built().hashAsync(native.datasetSize(e.epoch), bytes(header), nonce);
        expect(hex(result.mix)).toBe(mix);
        expect(hex(result.final)).toBe(final);
        expect(hex(native.quickFinal(bytes(header), nonce, bytes(mix)))).toBe(final);
      });
    }
  });
});
