import { address } from 'bitcoinjs-lib';
import { LodeError } from '@lode/plugin-api';
import { bitcoinjsNetwork, type BitcoinNetworkName } from './bitcoin-network';

const OP_1 = 0x51;

/**
 * The scriptPubKey that pays an address, for any standard type: P2PKH, P2SH
 * (base58check), P2WPKH, P2WSH (bech32, BIP 173) and P2TR (bech32m, BIP 350).
 *
 * bitcoinjs-lib 7 refuses P2TR without an ECC library (it would validate the
 * x-only key), so witness v1 programs of 32 bytes are built here as
 * `OP_1 0x20 <program>` from bitcoinjs-lib's own bech32m decoding; a coinbase
 * output does not need the key to be on the curve.
 *
 * @param payoutAddress the address as a user writes it
 * @param network the chain the address must belong to
 * @returns the output script, raw bytes
 * @throws LodeError('config') naming the address when it is malformed or of another chain
 */
export function payoutScript(payoutAddress: string, network: BitcoinNetworkName): Buffer {
  const params = bitcoinjsNetwork(network);
  const taproot = decodeTaproot(payoutAddress);
  if (taproot !== undefined) {
    if (taproot.prefix !== params.bech32) {
      throw new LodeError(
        'config',
        `payout address ${payoutAddress} is for the "${taproot.prefix}" chain, ${network} addresses start with "${params.bech32}1"`,
      );
    }
    return Buffer.concat([Buffer.from([OP_1, 32]), taproot.program]);
  }
  try {
    return Buffer.from(address.toOutputScript(payoutAddress, params));
  } catch (cause) {
    throw new LodeError(
      'config',
      `payout address ${payoutAddress} is not a valid ${network} address (P2PKH, P2SH, P2WPKH, P2WSH or P2TR): ${(cause as Error).message}`,
      { cause },
    );
  }
}

function decodeTaproot(text: string): { prefix: string; program: Buffer } | undefined {
  let decoded: ReturnType<typeof address.fromBech32>;
  try {
    decoded = address.fromBech32(text);
  } catch {
    return undefined;
  }
  if (decoded.version !== 1 || decoded.data.length !== 32) return undefined;
  return { prefix: decoded.prefix, program: Buffer.from(decoded.data) };
}
