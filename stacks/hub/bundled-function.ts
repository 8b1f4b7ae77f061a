import { AssetType, Fn, TerraformAsset } from 'cdktf';
import type { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { policyJson, serviceTrustPolicy, type PolicyStatement } from '../common.ts';

/** Props of {@link BundledFunction}. */
export interface BundledFunctionProps {
  /** Function name; also the role's name and the log group's `/aws/lambda/<name>`. */
  readonly name: string;
  /** The function's description (Lambda: at most 256 characters). */
  readonly description: string;
  /** The role's description. */
  readonly roleDescription: string;
  /** Name of the role's inline policy. */
  readonly policyName: string;
  /** The inline policy's statements; given the log group's ARN so they can grant writing to it (`<arn>:*`). */
  readonly statements: (logGroupArn: string) => PolicyStatement[];
  /** The consumer bundle folder (`index.mjs` exports every handler). */
  readonly bundleDir: string;
  /** `index.<export>` of the bundle. */
  readonly handler: string;
  /** Memory in MB (Lambda: 128–10240). */
  readonly memoryMb: number;
  /** Timeout in seconds (Lambda: 1–900). */
  readonly timeoutSeconds: number;
  /** Log retention in days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Environment variables; never secrets. */
  readonly environment: Readonly<Record<string, string>>;
}

/** What {@link bundledFunction} made. */
export interface BundledFunction {
  /** The function. */
  readonly function: LambdaFunction;
  /** Its execution role. */
  readonly role: IamRole;
  /** Its log group. */
  readonly logGroup: CloudwatchLogGroup;
}

/**
 * A function over the consumer bundle beside the consumer itself (the drift check, the triage
 * endpoint): Node 22 on arm64, its log group created first (so retention applies from the first
 * line), a role named like the function that only Lambda may assume, and one inline policy of exact
 * statements. The function waits for the policy, so its first invocation already has its grants.
 * The resources are made directly in `scope` (ids `LogGroup`, `Role`, `Policy`, `Code`, `Function`),
 * so their Terraform addresses are those of the constructs that made them before this builder existed.
 */
export function bundledFunction(scope: Construct, props: BundledFunctionProps): BundledFunction {
  const { name } = props;
  const logGroup = new CloudwatchLogGroup(scope, 'LogGroup', {
    name: `/aws/lambda/${name}`,
    retentionInDays: props.logRetentionDays,
  });
  const role = new IamRole(scope, 'Role', {
    name,
    description: props.roleDescription,
    assumeRolePolicy: serviceTrustPolicy('lambda.amazonaws.com'),
  });
  const policy = new IamRolePolicy(scope, 'Policy', {
    name: props.policyName,
    role: role.name,
    policy: policyJson(props.statements(logGroup.arn)),
  });
  const code = new TerraformAsset(scope, 'Code', { path: props.bundleDir, type: AssetType.ARCHIVE });

  const fn = new LambdaFunction(scope, 'Function', {
    functionName: name,
    description: props.description,
    role: role.arn,
    runtime: 'nodejs22.x',
    architectures: ['arm64'],
    handler: props.handler,
    memorySize: props.memoryMb,
    timeout: props.timeoutSeconds,
    filename: code.path,
    sourceCodeHash: Fn.filebase64sha256(code.path),
    environment: { variables: { ...props.environment } },
    dependsOn: [logGroup, policy],
  });
  return { function: fn, role, logGroup };
}
