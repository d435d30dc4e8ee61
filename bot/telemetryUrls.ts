/**
 * A URL as telemetry records it: without its query (a webhook's or a managed identity's may carry a
 * signature or ids) and fragment, without a user or password, and with the Bot Connector's
 * conversation, activity and member ids left out of its path, so that its calls group by what they do.
 */
export function recordedUrl(text: string): string {
  if (!URL.canParse(text)) return recordedPath(text);
  const url = new URL(text);
  return `${url.origin}${recordedPath(url.pathname)}`;
}

/** A path as telemetry records it: see recordedUrl. */
export function recordedPath(path: string): string {
  return path.replace(/[?#].*$/s, '').replace(/\/(conversations|activities|members)\/[^/]+/g, '/$1/:id');
}
