export {
  accountCredentials,
  localAwsScript,
  runningLocalAws,
  startLocalAws,
  localAwsScriptPath,
  type AccountCredentials,
  type LocalAws,
} from './localaws.ts';
export {
  localTargets,
  terraformRunner,
  warmPluginCache,
  TERRAFORM_CACHE_DIR,
  type TerraformRunnerOptions,
} from './deploy.ts';
export { MissingToolError, SandboxError, TerraformError } from './errors.ts';
export {
  applyStacks,
  destroyStacks,
  plannedChanges,
  stackOutputs,
  stateAddresses,
  synthesizeInto,
  waves,
  type DeployableStack,
  type TargetFor,
} from './stacks.ts';
export {
  AWS_PROVIDER,
  MIRROR_ENV,
  findProviderMirror,
  findTerraform,
  mirrorCandidates,
  runTerraform,
  terraformOrThrow,
  writeCliConfig,
  type TerraformResult,
  type TerraformRunner,
  type TerraformTarget,
} from './terraform.ts';
