import { ExtensionCodes } from './configure-messages';
import type { ConfigureExtension } from './configure-extension';

/**
 * The extensions BIP 310 names but never published ("To be published"):
 * recognised, so that they are told apart from typos in logs, and always
 * answered false (no server part, no client part).
 *
 * @see specs/002_b8c80480aecfabab.txt ("binary-protocol", "promise-protocol");
 *   specs/001_035fc6d9b893e8fb.txt (the earlier draft's "sp-telemetry")
 */
export const unpublishedExtensions: readonly ConfigureExtension[] = [
  { code: ExtensionCodes.SP_TELEMETRY },
  { code: ExtensionCodes.BINARY_PROTOCOL },
  { code: ExtensionCodes.PROMISE_PROTOCOL },
];
