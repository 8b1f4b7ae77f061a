/** The base error of the cdktf side: a stack that cannot be built from its props, or a consumer bundle that cannot be made. */
export class StacksError extends Error {
  override readonly name: string = 'StacksError';
}
