// The tag list of a repository, with `n` / `last` pagination and a `Link` to the next page.
import type { SandboxHttpResponse } from '../framework/http.js';
import { OciError } from './oci-error.js';
import { registryPath, repositoryOf, respond, type RegistryCall } from './registry-call.js';

/** GET `/v2/<name>/tags/list[?n=&last=]`. */
export async function listTags(call: RegistryCall): Promise<SandboxHttpResponse> {
  await call.access.require(call.name, 'ecr:ListImages');
  const repository = repositoryOf(call);
  const { query } = call.request;
  const nText = query.get('n');
  const last = query.get('last');
  const n = nText === null || nText === '' ? undefined : Number(nText);
  if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) {
    throw new OciError('UNSUPPORTED', 400, `n must be a non-negative integer, got ${nText ?? ''}`);
  }
  const all = Object.keys(repository.imageTags).sort();
  const after = last === null ? all : all.filter((tag) => tag > last);
  const page = n === undefined ? after : after.slice(0, n);
  const more = n !== undefined && n > 0 && after.length > page.length;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (more) {
    const next = new URLSearchParams({ n: String(n), last: page[page.length - 1] ?? '' });
    headers['link'] = `<${registryPath(call.name, 'tags/list')}?${next.toString()}>; rel="next"`;
  }
  return respond(200, headers, JSON.stringify({ name: call.name.full, tags: page }));
}
