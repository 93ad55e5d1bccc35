import { LodeError } from '@lode/stratum-core';
import { preview } from '../../hex';
import type { ClientMethodContext } from '../client-context';

/**
 * `client.show_message [text]` -> `messages$`.
 *
 * @throws LodeError('protocol') if the text is not a string
 */
export function handleShowMessage(ctx: ClientMethodContext, params: unknown[]): true {
  const [text] = params;
  if (typeof text !== 'string') throw new LodeError('protocol', `client.show_message text ${preview(text)} is not a string`);
  ctx.emitMessage(text);
  return true;
}
