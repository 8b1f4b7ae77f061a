export { checkSecrets, type OtherSecretCheck, type SecretCheck, type SecretsReport } from './check.ts';
export { MAX_INPUT_CHARS, readSecretInput } from './read-input.ts';
export { EXPECTED_ROUTING_KEY_FORM, checkRoutingKey, type RoutingKeyCheck } from './routing-key.ts';
export {
  secretKindOf,
  secretOf,
  storeSigningSecret,
  storeWebhook,
  type StoredSigningSecret,
  type StoredWebhook,
} from './set.ts';
export {
  EXPECTED_SIGNING_SECRET_FORM,
  checkSigningSecret,
  signingSecretName,
  type SigningSecretCheck,
} from './signing-secret.ts';
export {
  EXPECTED_BOT_TOKEN_FORM,
  EXPECTED_WEBHOOK_FORMS,
  SLACK_WEBHOOK_HOSTS,
  checkBotToken,
  checkWebhookUrl,
  checkWebhookUrlFor,
  type BotTokenCheck,
  type WebhookCheck,
  type WebhookKind,
} from './webhook-url.ts';
