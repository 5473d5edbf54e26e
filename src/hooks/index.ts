/** Incoming webhooks: signature checks, payload mapping and the HTTP handler `flotilla serve` mounts. */
export { createHooksHandler, type DeliveryLog, type HookResponse, type HookStyle, type HooksHandlerOptions } from './create-hooks-handler.js';
export { campaignOfBranch, FLOTILLA_EVENT_TYPES, repoSlug, type EventMatch, type ExternalEvent, type FlotillaEventType, type MappedPayload } from './external-event.js';
export { genericEventSchema, mapGenericEvent, type GenericEvent } from './generic-payload.js';
export { mapGitHubEvent, type GitHubDelivery } from './github-payloads.js';
export { DEFAULT_MAX_BODY_BYTES, readBody } from './read-body.js';
export { GENERIC_TOLERANCE_SECONDS, signGeneric, signGitHub, verifyGeneric, verifyGitHub, type Verification } from './signatures.js';
