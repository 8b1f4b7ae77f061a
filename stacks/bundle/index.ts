/** The consumer Lambda's esbuild bundle, which the hub stack deploys; `main.ts` and `scripts/` use it too. */
export {
  BUNDLE_FILES,
  CONSUMER_ENTRY,
  ConsumerBundleError,
  GEN_DIR,
  REPO_ROOT,
  buildConsumerBundle,
  configDigest,
  consumerBuildOptions,
  consumerBundleDir,
  reportSynthError,
  type BuildConsumerOptions,
  type ConsumerBundle,
} from './consumer-bundle.ts';
