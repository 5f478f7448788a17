/** The STS session name of a deployment's credentials: it names the deployment in CloudTrail. */

/** STS allows 2 to 64 characters from `[\w+=,.@-]`. */
const MAX_SESSION_NAME = 64;

/** `rampart-<deployment id>`, or `rampart-exec` for `rampart exec`; other characters become `-`. */
export function sessionName(deploymentId: string | undefined): string {
  const id = deploymentId === undefined || deploymentId === '' ? 'exec' : deploymentId;
  return `rampart-${id.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, MAX_SESSION_NAME);
}
