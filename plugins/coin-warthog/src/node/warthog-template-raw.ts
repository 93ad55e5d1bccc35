import { LodeError } from '@lode/plugin-api';

/**
 * What a Warthog CoinTemplate carries in `raw`: the node's `/chain/mine`
 * answer reduced to what a job needs (plain JSON, so a job bus can carry it).
 * Hex is lower case.
 *
 * @see facts/warthog.md §4.2
 */
export interface WarthogTemplateRaw {
  /** the template header, 160 hex: prevHash, target, merkle root (zero extranonce), version, ntime, nonce 0 */
  header: string;
  /** the template body, hex; body[0..10] is the extranonce area */
  body: string;
  /** 64 or 128 hex */
  merklePrefix: string;
  /** the node's difficulty of the header's target */
  difficulty: number;
  /** the height being mined */
  height: number;
}

const HEADER_HEX = /^[0-9a-f]{160}$/;
const EVEN_HEX = /^(?:[0-9a-f]{2})+$/;

/**
 * Checks a CoinTemplate's `raw` member as WarthogNode writes it.
 *
 * @throws LodeError('node') naming the member that is missing or malformed
 *   (a template of another coin, or one a job bus mangled)
 */
export function parseWarthogTemplateRaw(raw: unknown): WarthogTemplateRaw {
  const bad = (why: string): LodeError => new LodeError('node', `the template is not a Warthog /chain/mine template: ${why}`);
  if (typeof raw !== 'object' || raw === null) throw bad('raw is not an object');
  const { header, body, merklePrefix, difficulty, height } = raw as Record<string, unknown>;
  if (typeof header !== 'string' || !HEADER_HEX.test(header)) throw bad('header is not 160 lower-case hex digits');
  if (typeof body !== 'string' || !EVEN_HEX.test(body) || body.length < 20) throw bad('body is not lower-case hex of at least 10 bytes');
  if (typeof merklePrefix !== 'string' || !EVEN_HEX.test(merklePrefix) || (merklePrefix.length !== 64 && merklePrefix.length !== 128)) {
    throw bad('merklePrefix is not 32 or 64 bytes of lower-case hex');
  }
  if (typeof difficulty !== 'number') throw bad('difficulty is not a number');
  if (typeof height !== 'number' || !Number.isSafeInteger(height) || height < 0) throw bad('height is not an integer >= 0');
  return { header, body, merklePrefix, difficulty, height };
}
