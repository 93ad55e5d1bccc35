/**
 * The hook that decides whether a worker may submit on a session, called by
 * {@link MinerSession.authorize} after the name passed the basic rule
 * (non-empty, at most 128 characters). The default accepts every such name;
 * an app may pass one that checks a password, a payout address or a ban list.
 * A hook that throws counts as a refusal (and is logged).
 */
export type WorkerAuthorizer = (request: {
  workerName: string;
  password: string;
  remoteAddress: string;
  sessionId: string | undefined;
}) => boolean | Promise<boolean>;
