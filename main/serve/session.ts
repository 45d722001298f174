/**
 * Who may talk to `flowscope serve`: whoever holds the one-time token printed at start. The first load
 * with the token trades it for a session cookie (HttpOnly, SameSite=Strict); the token then stops
 * working, so a URL that leaks later (history, screen share) opens nothing.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export class SessionGate {
  private token: string | null = randomBytes(24).toString('base64url');
  private readonly sessions = new Set<string>();
  /**
   * Named after the server's port: a browser keeps cookies by host, not port, so with one name a second
   * `flowscope serve` on 127.0.0.1 replaced the first one's session (its page was refused on its next load),
   * and each server was sent the other's session id.
   */
  private readonly cookieName: string;

  constructor(port: number) {
    this.cookieName = `flowscope_session_${port}`;
  }

  /** The token for the printed URL; null once it has been exchanged. */
  get pendingToken(): string | null {
    return this.token;
  }

  /** Trade the token for a new session id, or null when the token is wrong or already used. */
  exchange(candidate: string): string | null {
    if (this.token === null || !sameSecret(candidate, this.token)) return null;
    this.token = null;
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return session;
  }

  /** Whether a request's Cookie header carries a live session. */
  admits(cookieHeader: string | undefined): boolean {
    const session = readCookie(cookieHeader, this.cookieName);
    if (session === null) return false;
    for (const known of this.sessions) if (sameSecret(session, known)) return true;
    return false;
  }

  /** The Set-Cookie value that hands a session to the browser. */
  cookie(session: string): string {
    return `${this.cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict`;
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
