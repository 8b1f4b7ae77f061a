/** The Microsoft Teams destination type (`type: teams`): Adaptive Cards to a Workflows webhook. */
export { teamsDestination } from './destination.ts';
export { deliverCards, teamsVerdict, type TeamsEnvironment, type TeamsPass } from './deliver.ts';
export {
  TeamsCardRefusedError,
  TeamsRateLimitedError,
  TeamsServerError,
  TeamsUrlRefusedError,
  TeamsUrlSecretError,
  TeamsWorkflowGoneError,
} from './errors.ts';
export {
  ADAPTIVE_CARD_CONTENT_TYPE,
  bodyBytes,
  type AdaptiveCard,
  type CardElement,
  type TeamsPayload,
} from './card.ts';
export { cardLink, cleanText, cutText, escapeCardText, escapeCut } from './escape.ts';
export { BAND_LOOK, TEAMS_LIMITS, TEXT_CHARS } from './limits.ts';
export { renderDigestCards, type TeamsDigest } from './digest.ts';
export { renderFindingCard, teamsMessages, type TeamsMessage, type TeamsRenderConfig } from './messages.ts';
export { renderPlainCard } from './plain.ts';
export { smallerCards, type CardForm, type ShapedCard } from './reshape.ts';
export { DEFAULT_TEAMS_RETRY_AFTER_SECONDS, postToWorkflow, retryAfterSeconds } from './post.ts';
export { secretWorkflowUrls, staticWorkflowUrls, type WorkflowUrlResolver } from './secrets.ts';
