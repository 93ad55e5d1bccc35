/**
 * A share read from the stream, as the accounting uses it. Internal to the
 * accounting (the stream's producer is RedisShareStore; its fields are flat
 * strings, optional ones absent or empty).
 */
export interface StreamShare {
  /** the stream entry id ("1700000000000-0") */
  entryId: string;
  /** the share's id ("<instance>:<seq>"); "entry:<entryId>" when the entry has none */
  id: string;
  /** worker name, '' when the share had none (unauthorized) */
  worker: string;
  /** 'accepted' or the reject reason, reduced to printable ASCII without spaces, at most 64 characters */
  verdict: string;
  /** credited difficulty, >= 0 (0 when rejected) */
  difficulty: number;
  /** ms since epoch; the entry id's time when the field is missing */
  time: number;
  /** height of the share's job (-1 when missing) */
  height: number;
  /** display hex of the block hash when the share was an accepted block candidate */
  blockHash?: string;
}
