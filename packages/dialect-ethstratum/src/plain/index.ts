/* Plain ethash stratum as ethminer's mode 0 speaks it (facts/ethash.md §1.4): server and client sessions */
export { PLAIN_JOB_HISTORY, PlainEthMethods, PlainEthServerSession } from './plain-server-session';
export { PlainEthClientSession } from './plain-client-session';
