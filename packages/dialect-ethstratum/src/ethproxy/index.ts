/* EthProxy ("stratum1", eth_submitLogin; facts/ethash.md §1.1) server and client sessions */
export {
  ETHPROXY_JOB_HISTORY,
  ETHPROXY_NAMES_PER_WORKER,
  ETHPROXY_MALFORMED_POW,
  ETHPROXY_WORK_NOT_READY,
  EthProxyMethods,
  EthProxyServerSession,
} from './ethproxy-server-session';
export { EthProxyClientSession } from './ethproxy-client-session';
