import { A1, SESSION } from './warthog-vectors.fixture';

/**
 * `/chain/mine/<SESSION.address>` data for the §6-H job (fields as in
 * facts/warthog.md §4.2; header, body and merklePrefix from §6-H; height and
 * difficulty of block 1949766, whose prevHash the template builds on).
 */
export const MINING_STATE = {
  header: SESSION.templateHeader,
  body: SESSION.templateBody,
  merklePrefix: SESSION.merklePrefix,
  difficulty: A1.difficulty,
  height: A1.height,
  synced: true,
  testnet: false,
  blockReward: '3.00000000',
  blockRewardE8: 300000000,
  totalTxFee: '0.00000000',
  totalTxFeeE8: 0,
};

/** `/chain/head` data while MINING_STATE is current: the head is the template's previous block. */
export const CHAIN_HEAD = {
  hash: SESSION.prevHash,
  synced: true,
  height: A1.height - 1,
  difficulty: A1.difficulty,
  is_janushash: true,
  pinHeight: A1.height - 6,
  pinHash: '00'.repeat(32),
  worksum: 1.5e20,
  worksumHex: '0x0',
};
