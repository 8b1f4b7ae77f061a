export { OrgStack, OrgStackError, type OrgStackProps } from './org-stack.ts';
