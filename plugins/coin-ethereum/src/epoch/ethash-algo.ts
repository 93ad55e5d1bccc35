/** The ethash-family algorithms (EthashWork.algo, `mining.set.algo`). */
export type EthashAlgo = 'ethash' | 'etchash';
