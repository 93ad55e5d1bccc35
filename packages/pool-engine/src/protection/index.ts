/* Protection: bans and ckpool's reject escalation (issue 10). */
export { AddressList, normalizeAddress } from './address';
export type { AddressListOptions } from './address';
export { EventWindow, ShareWindow, SHARE_WINDOW_SLICES } from './event-window';
export { BanManager, DEFAULT_BAN_RULES } from './ban-manager';
export type { BanEntry, BanEvent, BanManagerOptions, BanRule, InvalidShareRuleOptions, RateRuleOptions } from './ban-manager';
export { RejectEscalation, ESCALATION_ACTIONS, DEFAULT_ESCALATION_SECONDS } from './reject-escalation';
export type { EscalationAction, RejectEscalationOptions } from './reject-escalation';
export { classifyShare } from './share-class';
