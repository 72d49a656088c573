/** The OpenID metadata MSAL needs, so it never calls a discovery endpoint (passed as authorityMetadata). */
export function authorityMetadataFor(authorityUrl: string, tenant: string): Record<string, string> {
  const base = `${authorityUrl.replace(/\/$/, '')}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    issuer: `${base}/v2.0`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
  };
}
