import { LodeError } from '@lode/stratum-core';
import type { ExtranonceLeases } from '../ports/extranonce-leases';

/**
 * Test scaffolding: the shared state of ExtranonceLeases for several
 * "instances" in one process, with the semantics store-redis implements:
 * the lowest free prefix is handed out; a claim succeeds when the value is
 * free, expired or already held by the same instance (then its expiry is
 * pushed out), and fails when another instance holds it.
 */
export class FakeLeaseCluster {
  /** prefix hex -> instance id */
  readonly prefixes = new Map<string, string>();
  /** extranonce1 hex -> holder and expiry (ms) */
  readonly claims = new Map<string, { instance: string; expiresAt: number }>();
  /** every call, in order: "claim <hex> <instance> <ttl>", "release <hex> <instance>", ... */
  readonly calls: string[] = [];
  /** set to make every call reject with LodeError('store') */
  failing = false;

  constructor(private readonly now: () => number) {}

  /** the holder of `extranonce1` now, or undefined */
  holder(extranonce1: Buffer | string): string | undefined {
    const hex = typeof extranonce1 === 'string' ? extranonce1 : extranonce1.toString('hex');
    const claim = this.claims.get(hex);
    return claim === undefined || claim.expiresAt <= this.now() ? undefined : claim.instance;
  }

  /** one instance's handle (it remembers the prefix it took) */
  leases(): ExtranonceLeases {
    let held: string | undefined;
    const check = (): void => {
      if (this.failing) throw new LodeError('store', 'fake leases unavailable');
    };
    return {
      acquirePrefix: async (bytes, instanceId) => {
        this.calls.push(`acquirePrefix ${bytes} ${instanceId}`);
        check();
        for (let value = 0; value < 256 ** bytes; value++) {
          const prefix = Buffer.alloc(bytes);
          prefix.writeUIntBE(value, 0, bytes);
          const hex = prefix.toString('hex');
          if (!this.prefixes.has(hex)) {
            this.prefixes.set(hex, instanceId);
            held = hex;
            return prefix;
          }
        }
        throw new LodeError('store', `every ${bytes}-byte extranonce1 prefix is taken`);
      },
      releasePrefix: async () => {
        this.calls.push('releasePrefix');
        check();
        if (held !== undefined) this.prefixes.delete(held);
        held = undefined;
      },
      claim: async (extranonce1, instanceId, ttlMs) => {
        const hex = extranonce1.toString('hex');
        this.calls.push(`claim ${hex} ${instanceId} ${ttlMs}`);
        check();
        const holder = this.holder(hex);
        if (holder !== undefined && holder !== instanceId) return false;
        this.claims.set(hex, { instance: instanceId, expiresAt: this.now() + ttlMs });
        return true;
      },
      release: async (extranonce1, instanceId) => {
        const hex = extranonce1.toString('hex');
        this.calls.push(`release ${hex} ${instanceId}`);
        check();
        if (this.claims.get(hex)?.instance === instanceId) this.claims.delete(hex);
      },
    };
  }
}
