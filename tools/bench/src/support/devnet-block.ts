import {
  buildCoinbase,
  buildHeader,
  createBitcoinHasher,
  merkleBranches,
  merkleRootFromBranches,
  parseBlockTemplate,
  payoutScript,
  serializeBlock,
  sha256d,
  templateTxid,
  withCoinbaseWitness,
  type BitcoinHasher,
} from '@lode/coin-bitcoin';
import { BENCH_PAYOUT_ADDRESS, DEVNET_AUTH } from './pool-under-test';

/** A block this process found and the devnet accepted. */
export interface MinedBlock {
  height: number;
  /** performance.now() just before `submitblock` was sent, ms */
  sentAt: number;
  /** performance.now() when the devnet answered `submitblock`, ms */
  answeredAt: number;
}

/** A target from compact nBits: mantissa * 256^(exponent - 3) (facts/bitcoin-stratum.md, "Targets"). */
function targetOfBits(bits: number): bigint {
  return BigInt(bits & 0x7fffff) << BigInt(8 * ((bits >>> 24) - 3));
}

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${DEVNET_AUTH.user}:${DEVNET_AUTH.password}`).toString('base64')}`,
    },
    body: JSON.stringify({ jsonrpc: '1.0', id: 'bench', method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message?: string } | null };
  if (body.error !== null && body.error !== undefined) throw new Error(`devnet ${method}: ${body.error.message ?? JSON.stringify(body.error)}`);
  return body.result;
}

let hasher: BitcoinHasher | undefined;

/**
 * Mines one block on the devnet without the pool: getblocktemplate, a
 * coinbase paying the bench address (BIP 34 height, the witness commitment
 * when the template has one), the merkle root, a nonce found by the native
 * scanner, `submitblock`. The devnet then answers the pool's long poll with
 * a new template: this is the "new block" a fan-out benchmark times from.
 * Needs an easy constant target (`--nbits 207fffff`: every second header is
 * a block).
 *
 * @throws Error when the devnet refuses the block or no nonce meets the target in 2^20 tries
 */
export async function mineDevnetBlock(rpcUrl: string): Promise<MinedBlock> {
  hasher ??= createBitcoinHasher();
  const template = parseBlockTemplate(await rpc(rpcUrl, 'getblocktemplate', [{ rules: ['segwit'] }]));
  const { coinb1, coinb2 } = buildCoinbase({
    template,
    payoutScript: payoutScript(BENCH_PAYOUT_ADDRESS, 'regtest'),
    tag: Buffer.from('/Lode bench block/'),
    extranonce1Size: 4,
    extranonce2Size: 4,
  });
  // a different extranonce per call: two blocks at one height never repeat a coinbase
  const extranonce = Buffer.alloc(8);
  extranonce.writeDoubleLE(Math.random());
  const coinbase = Buffer.concat([coinb1, extranonce, coinb2]);
  const txids = template.transactions.map((tx) => Buffer.from(templateTxid(tx), 'hex').reverse());
  const merkleRoot = merkleRootFromBranches(sha256d(coinbase), merkleBranches(txids));
  const nbits = Number.parseInt(template.bits, 16);
  const header = buildHeader({ version: template.version, prevHashDisplay: template.previousblockhash, merkleRoot, ntime: template.curtime, nbits, nonce: 0 });
  const { hits } = await hasher.scan({ header, startNonce: 0, count: 1 << 20, target: targetOfBits(nbits), threads: 1 });
  if (hits.length === 0) throw new Error(`no nonce in 2^20 meets nbits ${template.bits}: start the devnet with an easy --nbits (207fffff)`);
  header.writeUInt32LE(hits[0].nonce, 76);
  const blockCoinbase = template.default_witness_commitment !== undefined ? withCoinbaseWitness(coinbase) : coinbase;
  const block = serializeBlock(header, blockCoinbase, template.transactions.map((tx) => tx.data));
  const sentAt = performance.now();
  const result = await rpc(rpcUrl, 'submitblock', [block]);
  const answeredAt = performance.now();
  if (result !== null) throw new Error(`devnet refused the block at height ${template.height}: ${String(result)}`);
  return { height: template.height, sentAt, answeredAt };
}
