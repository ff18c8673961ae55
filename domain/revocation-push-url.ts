/**
 * Where an API process takes revocation notices pushed by the others (api/services/revocation-push.ts): an
 * http(s) URL with a host and a path, no query or fragment, at most 300 characters. Checked where it is
 * configured and again where the revocation broadcast records it.
 */
export const MAX_PUSH_URL_LENGTH = 300;

export function isRevocationPushUrl(url: unknown): url is string {
  return (
    typeof url === 'string' && url.length <= MAX_PUSH_URL_LENGTH && /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url)
  );
}
