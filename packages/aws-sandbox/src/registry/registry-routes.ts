// Which registry operation a request is: OCI Distribution paths under `/v2/`, with repository
// names `<account>/<region>/<repository>` so one port serves every account's registry.
import type { SandboxHttpRequest } from '../framework/http.js';
import { isAccountId, isRegionName, isValidRepositoryName } from '../services/ecr/references.js';
import { OciError } from './oci-error.js';

/** A registry operation (also its request log and fault action name). */
export type RegistryOperation =
  | 'RegistryPing'
  | 'RegistryGetManifest'
  | 'RegistryHeadManifest'
  | 'RegistryPutManifest'
  | 'RegistryDeleteManifest'
  | 'RegistryGetBlob'
  | 'RegistryHeadBlob'
  | 'RegistryDeleteBlob'
  | 'RegistryStartUpload'
  | 'RegistryPatchUpload'
  | 'RegistryCompleteUpload'
  | 'RegistryGetUpload'
  | 'RegistryCancelUpload'
  | 'RegistryListTags'
  | 'RegistryListReferrers';

/** A repository as the registry names it. */
export interface RegistryName {
  /** `<account>/<region>/<repository>`, as the client wrote it. */
  full: string;
  accountId: string;
  region: string;
  repositoryName: string;
}

/** A routed registry request. */
export interface RegistryRoute {
  operation: RegistryOperation;
  /** Absent for the base check (`/v2/`). */
  name?: RegistryName;
  /** The tag or digest of manifest operations, the digest of blob and referrer operations. */
  reference?: string;
  /** The upload session of upload operations. */
  uploadId?: string;
}

/**
 * Whether a request is for the registry: a path under `/v2` that is not SigV4-signed (AWS API
 * calls are, and S3 bucket names cannot be `v2`, being shorter than three characters).
 */
export function isRegistryRequest(request: SandboxHttpRequest): boolean {
  const path = request.rawPath;
  if (path !== '/v2' && !path.startsWith('/v2/')) return false;
  if (request.headers['authorization']?.startsWith('AWS4-') === true) return false;
  return !request.query.has('X-Amz-Algorithm');
}

/** Parses `<account>/<region>/<repository>`; throws `NAME_INVALID`. */
export function parseRegistryName(full: string): RegistryName {
  const [accountId = '', region = '', ...rest] = full.split('/');
  const repositoryName = rest.join('/');
  if (!isAccountId(accountId) || !isRegionName(region) || !isValidRepositoryName(repositoryName)) {
    throw new OciError(
      'NAME_INVALID',
      400,
      `invalid repository name ${full}: repositories are named <account>/<region>/<repository>`,
      { name: full },
    );
  }
  return { full, accountId, region, repositoryName };
}

const ROUTES: {
  pattern: RegExp;
  methods: Partial<Record<string, RegistryOperation>>;
  part: 'reference' | 'uploadId' | 'none';
}[] = [
  {
    pattern: /^\/v2\/(.+)\/manifests\/([^/]+)$/,
    methods: {
      GET: 'RegistryGetManifest',
      HEAD: 'RegistryHeadManifest',
      PUT: 'RegistryPutManifest',
      DELETE: 'RegistryDeleteManifest',
    },
    part: 'reference',
  },
  {
    pattern: /^\/v2\/(.+)\/blobs\/uploads\/?$/,
    methods: { POST: 'RegistryStartUpload' },
    part: 'none',
  },
  {
    pattern: /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/,
    methods: {
      PATCH: 'RegistryPatchUpload',
      PUT: 'RegistryCompleteUpload',
      GET: 'RegistryGetUpload',
      DELETE: 'RegistryCancelUpload',
    },
    part: 'uploadId',
  },
  {
    pattern: /^\/v2\/(.+)\/blobs\/([^/]+)$/,
    methods: { GET: 'RegistryGetBlob', HEAD: 'RegistryHeadBlob', DELETE: 'RegistryDeleteBlob' },
    part: 'reference',
  },
  { pattern: /^\/v2\/(.+)\/tags\/list$/, methods: { GET: 'RegistryListTags' }, part: 'none' },
  {
    pattern: /^\/v2\/(.+)\/referrers\/([^/]+)$/,
    methods: { GET: 'RegistryListReferrers' },
    part: 'reference',
  },
];

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    throw new OciError('NAME_INVALID', 400, `the path ${rawPath} is not validly percent-encoded`);
  }
}

/** Routes a registry request; throws `NAME_INVALID`, or `UNSUPPORTED` for anything else. */
export function routeRegistry(request: SandboxHttpRequest): RegistryRoute {
  const path = decodePath(request.rawPath);
  if (path === '/v2' || path === '/v2/') {
    if (request.method === 'GET' || request.method === 'HEAD') return { operation: 'RegistryPing' };
    throw unsupported(request.method, path);
  }
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const operation = route.methods[request.method];
    if (operation === undefined) throw unsupported(request.method, path);
    const name = parseRegistryName(match[1] as string);
    const part = match[2];
    if (route.part === 'reference') return { operation, name, reference: part };
    if (route.part === 'uploadId') return { operation, name, uploadId: part };
    return { operation, name };
  }
  throw new OciError('UNSUPPORTED', 404, `the registry does not serve ${request.method} ${path}`);
}

function unsupported(method: string, path: string): OciError {
  return new OciError('UNSUPPORTED', 405, `the operation ${method} ${path} is unsupported`);
}
