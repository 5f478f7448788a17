/** The fields a build returns, which steps read as `stage.artifacts["Name"].<field>`. */

/** `image_url` (pinned by digest), `image_tag`, `image_digest`. */
export function imageFields(
  registry: string,
  repository: string,
  tag: string,
  digest: string,
): Record<string, string> {
  return {
    image_url: `${registry}/${repository}@${digest}`,
    image_tag: tag,
    image_digest: digest,
  };
}

/** `s3_url`, `s3_bucket`, `s3_key`, `sha256` (hex). */
export function bundleFields(bucket: string, key: string, sha256: string): Record<string, string> {
  return { s3_url: `s3://${bucket}/${key}`, s3_bucket: bucket, s3_key: key, sha256 };
}
