/**
 * Profile names from the shared AWS config and credentials files, for the app's profile picker. Reads
 * section names and a few non-secret keys (region, whether it is SSO, assume-role or process based); the
 * values of keys and tokens are never read into anything that leaves this function.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FlowscopeError } from '../../errors';

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

/** Where the SDK reads profiles from, as it finds them: the environment's files, else those in ~/.aws. */
export function profileFiles(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'),
  };
}

export function listProfiles(env: NodeJS.ProcessEnv = process.env): ProfileInfo[] {
  const files = profileFiles(env);
  const config = parseIni(readOrEmpty(files.config), true);
  const credentials = parseIni(readOrEmpty(files.credentials), false);
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

/**
 * Refuses a profile that neither file has, in one line naming it and the files read. The SDK would go on to
 * look for it and fail with "Could not load credentials", after printing its own warnings (nine lines when
 * keys are also in the environment), which name neither.
 */
export function checkProfileExists(profile: string, env: NodeJS.ProcessEnv = process.env): void {
  const known = listProfiles(env).map((p) => p.name);
  if (known.includes(profile)) return;
  const files = profileFiles(env);
  const choose = known.length
    ? `: choose one of ${known.join(', ')} (flowscope aws profiles lists them)`
    : `; they hold none: create it with aws configure --profile ${profile}`;
  throw new FlowscopeError(
    'aws_error',
    `There is no AWS profile "${profile}" in ${files.config} or ${files.credentials}, where profiles are read from${choose}.`,
    { option: 'profile' },
  );
}
