/** Where the bot may post to a conversation: the rule for an activity's serviceUrl and for stored addresses alike. */
export interface ServiceUrlPolicy {
  /** Development mode (no authentication) answers only the Emulator on this machine, unless DEV_ALLOW_REMOTE. */
  readonly loopbackOnly: boolean;
}

/** What the URL parser gives as hostname for the loopback addresses the Emulator and Playground use. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Why the bot will not post to a service URL, or undefined when it will: http or https, no user name or
 * password (they would go out with every reply), and in development mode a loopback host, any port.
 */
export function serviceUrlProblem(serviceUrl: string, policy: ServiceUrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (policy.loopbackOnly && !LOOPBACK_HOSTS.includes(url.hostname.toLowerCase())) {
    return 'development mode answers only a loopback address (127.0.0.1, localhost or [::1]), such as the Emulator’s; set DEV_ALLOW_REMOTE=true to answer others';
  }
  return undefined;
}
