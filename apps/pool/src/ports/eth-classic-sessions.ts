import {
  Es1ServerSession,
  EthProxyServerSession,
  PlainEthServerSession,
  type EthClassicDialect,
  type EthClassicServerHandler,
  type EthClassicServerSession,
  type EthClassicServerSessionOptions,
} from '@lode/dialect-ethstratum';
import type { RpcPeer } from '@lode/stratum-core';

/**
 * The server session of one classic Ethereum dialect (facts/ethash.md §1.1,
 * §1.2, §1.4) on a peer built with `ethCodecFor(dialect)`: es1
 * Es1ServerSession, ethproxy EthProxyServerSession, plain PlainEthServerSession.
 * Build it synchronously right after the peer, so that it sees the first line.
 */
export function createClassicServerSession(
  dialect: EthClassicDialect,
  peer: RpcPeer,
  handler: EthClassicServerHandler,
  options: EthClassicServerSessionOptions,
): EthClassicServerSession {
  switch (dialect) {
    case 'es1':
      return new Es1ServerSession(peer, handler, options);
    case 'ethproxy':
      return new EthProxyServerSession(peer, handler, options);
    case 'plain':
      return new PlainEthServerSession(peer, handler, options);
  }
}
