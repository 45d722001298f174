/**
 * DNS-rebinding defence: a page on another site that makes its host name resolve to 127.0.0.1 still
 * sends its own name in `Host` and its own origin in `Origin`, so both must name this server exactly.
 */
export class OriginGuard {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;

  constructor(port: number) {
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.origins = new Set([...this.hosts].map((host) => `http://${host}`));
  }

  hostAllowed(host: string | undefined): boolean {
    return host !== undefined && this.hosts.has(host.toLowerCase());
  }

  /** Browsers omit `Origin` on plain navigations; when it is there it must be ours. */
  originAllowed(origin: string | undefined, required: boolean): boolean {
    if (origin === undefined) return !required;
    return this.origins.has(origin.toLowerCase());
  }
}
