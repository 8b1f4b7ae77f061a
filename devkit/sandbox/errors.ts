import { CliError, EXIT } from '../../cli/errors.ts';

/** Base error of `sandbox` and of the Terraform machinery the deploy tests share with it. */
export class SandboxError extends CliError {
  override readonly name: string = 'SandboxError';

  constructor(message: string, options?: { cause?: unknown; exitCode?: 1 | 2 }) {
    super(message, options?.exitCode ?? EXIT.attention, options);
  }
}

/** A tool the sandbox needs (terraform, python3, the provider mirror) is missing: exit 2. */
export class MissingToolError extends SandboxError {
  override readonly name = 'MissingToolError';
  /** The tool: `terraform`, `python3`, `hashicorp/aws 5.100.0`. */
  readonly tool: string;

  constructor(tool: string, message: string) {
    super(message, { exitCode: EXIT.usage });
    this.tool = tool;
  }
}

/** A terraform command exited non-zero. Carries the stack and the tail of its output. */
export class TerraformError extends SandboxError {
  override readonly name = 'TerraformError';
  /** The stack terraform ran for. */
  readonly stackName: string;
  /** terraform's exit status. */
  readonly terraformExit: number;

  constructor(stack: string, command: string, code: number, tail: string) {
    super(`terraform ${command} failed for stack ${stack} (exit ${code}):\n${tail}`);
    this.stackName = stack;
    this.terraformExit = code;
  }
}
