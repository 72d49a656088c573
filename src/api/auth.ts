import { createPrivateKey, X509Certificate } from 'node:crypto';
import type * as Msal from '@azure/msal-node';
import type { Configuration, INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { lazyRequire } from '../io/lazy-require.js';
import { RuntimeError, UsageError } from '../errors.js';
import { authorityMetadataFor } from './authority.js';
import type { HttpClient } from './http.js';
import { decodeJwtPayload } from './jwt.js';

/** A client credential: a secret, or a certificate (PEM with its private key). Never from the command line. */
export type Credential = { kind: 'secret'; secret: string } | { kind: 'certificate'; pem: string; file: string };

export interface TokenProviderOptions {
  /** Authority host URL (the cloud’s, or the emulator); HTTPS is required, as MSAL requires. */
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  /** Resource (audience) of the token: the cloud's Management API URI. The scope is `<audience>/.default`. */
  audience: string;
  credential: Credential;
  http: HttpClient;
}

export interface AccessToken {
  token: string;
  claims: Record<string, unknown>;
  expiresOn?: Date;
}

export interface TokenProvider {
  getToken(options?: { forceRefresh?: boolean }): Promise<AccessToken>;
}

/** An authentication failure with the AADSTS code Entra named, when it named one. */
export class TokenError extends RuntimeError {
  constructor(
    message: string,
    readonly aadsts?: string,
    readonly errorCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TokenError';
  }
}

/** Thumbprint (SHA-256, hex), private key (PKCS#8 PEM) and x5c of a PEM holding a certificate and its key. */
export function readCertificateCredential(pem: string, file: string): { thumbprintSha256: string; privateKey: string; x5c: string } {
  const certBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyBlock = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!certBlock || !keyBlock) {
    throw new UsageError([{ file, message: 'must hold a PEM certificate and its private key (-----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY-----)' }]);
  }
  let privateKey: string;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certBlock);
    privateKey = createPrivateKey(keyBlock).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (e) {
    throw new UsageError([{ file, message: `is not a readable certificate and unencrypted private key: ${(e as Error).message}` }], { cause: e });
  }
  return { thumbprintSha256: cert.fingerprint256.replace(/:/g, ''), privateKey, x5c: certBlock };
}

/**
 * MSAL Node client credentials against the given authority. MSAL gets knownAuthorities and authorityMetadata,
 * so it calls no discovery endpoint, and a network client that sends through our HTTP module.
 */
export function createTokenProvider(o: TokenProviderOptions): TokenProvider {
  let authority: URL;
  try {
    authority = new URL(o.authorityUrl);
  } catch {
    throw new UsageError(`--authority-url: '${o.authorityUrl}' is not a URL`);
  }
  if (authority.protocol !== 'https:') {
    throw new UsageError(`--authority-url: '${o.authorityUrl}' must use https:// (MSAL refuses other authorities; run the emulator with --https)`);
  }
  const authorityBase = `${authority.origin}${authority.pathname.replace(/\/$/, '')}`;
  const auth: Configuration['auth'] = {
    clientId: o.clientId,
    authority: `${authorityBase}/${o.tenantId}`,
    knownAuthorities: [authority.host],
    authorityMetadata: JSON.stringify(authorityMetadataFor(authorityBase, o.tenantId)),
  };
  if (o.credential.kind === 'secret') auth.clientSecret = o.credential.secret;
  else auth.clientCertificate = readCertificateCredential(o.credential.pem, o.credential.file);
  // MSAL is loaded when the first token provider is made, not when a command module is imported.
  const { ConfidentialClientApplication } = lazyRequire<typeof Msal>('@azure/msal-node');
  const app = new ConfidentialClientApplication({
    auth,
    system: { networkClient: msalNetworkClient(o.http), loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => {} } },
  });
  const scope = `${o.audience.replace(/\/$/, '')}/.default`;
  // MSAL's own cache lookup costs milliseconds per call; keep the token until 5 minutes before it expires.
  let current: AccessToken | undefined;
  return {
    async getToken(opts = {}) {
      if (current && !opts.forceRefresh && current.expiresOn && current.expiresOn.getTime() - 300_000 > o.http.clock.now()) return current;
      try {
        const r = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: opts.forceRefresh === true });
        if (!r?.accessToken) throw new TokenError('the authority returned no access token');
        current = { token: r.accessToken, claims: decodeJwtPayload(r.accessToken) ?? {}, expiresOn: r.expiresOn ?? undefined };
        return current;
      } catch (e) {
        if (e instanceof TokenError || e instanceof UsageError) throw e;
        const err = e as { errorCode?: string; errorMessage?: string; message?: string };
        const text = err.errorMessage || err.message || String(e);
        const aadsts = /AADSTS(\d+)/.exec(text)?.[0];
        throw new TokenError(describeTokenFailure(aadsts, err.errorCode, text.split(/ Trace ID:|\r?\n/)[0]!), aadsts, err.errorCode, { cause: e });
      }
    },
  };
}

const AADSTS_HELP: Record<string, string> = {
  AADSTS700016: 'the client id is not an app registration in this tenant: check --client-id and --tenant-id (and --cloud: a GCC High app is not in the commercial cloud)',
  AADSTS7000215: 'the client secret is wrong: use the secret Value, not the Secret ID, in COE_AUDIT_CLIENT_SECRET or --client-secret-file',
  AADSTS7000222: 'the client secret has expired: create a new one in the app registration',
  AADSTS7000216: 'no credential was sent: set COE_AUDIT_CLIENT_SECRET, or pass --client-secret-file or --certificate-file',
  AADSTS700027: 'the certificate is not registered on the app: upload its public part under Certificates & secrets',
  AADSTS90002: 'the tenant was not found: check --tenant-id and that --cloud (authority) is the tenant’s cloud',
  AADSTS500011: 'the Management API is not known in this tenant or cloud: check --cloud; consent to Office 365 Management APIs may be missing',
  AADSTS65001: 'admin consent is missing: grant admin consent for the API permissions of the app registration',
  AADSTS1002012: 'the scope must end with /.default for client credentials',
  AADSTS70011: 'the scope is invalid: check --cloud',
};

function describeTokenFailure(aadsts: string | undefined, errorCode: string | undefined, text: string): string {
  const help = aadsts ? AADSTS_HELP[aadsts] : undefined;
  if (help) return `token request failed with ${aadsts}: ${help}. Entra said: ${text}`;
  return `token request failed${errorCode ? ` (${errorCode})` : ''}: ${text}`;
}

/** MSAL's INetworkModule over our HTTP module (no budget: token calls go to Entra, not to the tenant quota). */
function msalNetworkClient(http: HttpClient): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const res = await http.request({ method, url, headers: options?.headers ?? {}, body: options?.body, budget: false });
    let body: unknown = {};
    try {
      body = res.body ? JSON.parse(res.body) : {};
    } catch {
      throw new TokenError(`the authority at ${new URL(url).origin} answered HTTP ${res.status} with a body that is not JSON`);
    }
    return { headers: res.headers, body: body as T, status: res.status };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
