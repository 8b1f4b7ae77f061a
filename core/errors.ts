/**
 * The consumer's base error. Every error the consumer throws on purpose extends it: the delivery
 * stage's (`deliver/errors.ts`), the repeat gate's (`repeats/errors.ts`), a record failed on purpose
 * and an unusable bundled config. None ever carries a webhook URL.
 */
export class ConsumerError extends Error {
  override readonly name: string = 'ConsumerError';
}
