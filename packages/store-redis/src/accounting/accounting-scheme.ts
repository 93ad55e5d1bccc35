/**
 * How the reward of a found block is divided (pool-engine's reward splits):
 * - `pplns`: over the last `windowDifficulty` units of credited difficulty,
 *   across rounds (pplnsSplit)
 * - `prop`: over the round that found the block (propSplit)
 * - `solo`: all to the worker that found it (soloSplit)
 */
export type AccountingScheme = { kind: 'pplns'; windowDifficulty: number } | { kind: 'prop' } | { kind: 'solo' };
