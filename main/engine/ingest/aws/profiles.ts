/**
 * Profile names from the shared AWS config and credentials files, for the app's profile picker. Reads
 * section names and a few non-secret keys (region, whether it is SSO, assume-role or process based); the
 * values of keys and tokens are never read into anything that leaves this function.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ProfileInfo {
  name: string;
  region?: string;
  kind: 'keys' | 'sso' | 'assume-role' | 'process' | 'other';
}

type Sections = Map<string, Map<string, string>>;

function parseIni(text: string, configStyle: boolean): Sections {
  const sections: Sections = new Map();
  let current: Map<string, string> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      // In the config file, profiles are `[profile x]` except `[default]`; `[sso-session x]` and others are not profiles.
      const profile = !configStyle ? name : name === 'default' ? name : /^profile\s+(.+)$/.exec(name)?.[1]?.trim();
      current = profile ? (sections.get(profile) ?? new Map()) : null;
      if (profile && current) sections.set(profile, current);
      continue;
    }
    const kv = /^([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (kv && current) current.set(kv[1]!.toLowerCase(), kv[2]!);
  }
  return sections;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function listProfiles(env: NodeJS.ProcessEnv = process.env): ProfileInfo[] {
  const config = parseIni(readOrEmpty(env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config')), true);
  const credentials = parseIni(
    readOrEmpty(env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials')),
    false,
  );
  const names = new Set([...config.keys(), ...credentials.keys()]);
  return [...names].sort().map((name) => {
    const c = config.get(name) ?? new Map<string, string>();
    const k = credentials.get(name) ?? new Map<string, string>();
    const has = (key: string) => c.has(key) || k.has(key);
    const kind: ProfileInfo['kind'] =
      has('sso_session') || has('sso_start_url')
        ? 'sso'
        : has('role_arn')
          ? 'assume-role'
          : has('credential_process')
            ? 'process'
            : has('aws_access_key_id')
              ? 'keys'
              : 'other';
    const region = c.get('region') ?? k.get('region');
    return region ? { name, region, kind } : { name, kind };
  });
}
