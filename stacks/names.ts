// Moved to shared/names.ts (a contract the stacks, the consumer and the CLI share); kept so that
// existing imports of stacks/names.ts keep working.
export * from '../shared/names.ts';
