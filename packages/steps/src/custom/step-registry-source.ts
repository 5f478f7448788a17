// Where a step registry comes from: a folder on the control plane, or a git repository at a ref.

/** One entry of `step_registries` in the control plane's configuration. */
export type StepRegistrySource =
  | {
      /** A folder holding the registry's package.json; relative paths are resolved against the config's folder. */
      path: string;
    }
  | {
      /** A git URL (or a local repository path) the server can fetch without a prompt. */
      git: string;
      /** A branch, tag or commit. @default the repository's default branch */
      ref?: string;
    };

/** The source as people write it, for messages: the path, or `URL@ref`. */
export function describeRegistrySource(source: StepRegistrySource): string {
  return 'path' in source ? source.path : `${source.git}@${source.ref ?? 'HEAD'}`;
}
