/**
 * The one contract between the renderer and the engine: every channel with the schema of its input and
 * output, every event with the schema of its payload. Pure: imports nothing from Electron, DuckDB or Node,
 * so main, preload, renderer and tests all import it.
 *
 * Adding a feature: one entry in a domain file under contract/, one engine method (a compile error until
 * it exists), one client call in the renderer.
 */
import type { z } from 'zod';
import { aboutChannels } from './contract/about';
import { addressDataChannels } from './contract/address-data';
import { ingestChannels } from './contract/ingest';
import { jobChannels, jobEvents } from './contract/jobs';
import { pullChannels, pullEvents } from './contract/pull';
import { libraryChannels } from './contract/library';
import { lookupChannels } from './contract/lookup';
import { queryChannels } from './contract/query';
import { remoteChannels, remoteEvents } from './contract/remote';
import { workspaceChannels } from './contract/workspace';
import { workspaceFolderEvents } from './contract/workspace-folder';

export * from './contract/wire';
export * from './contract/workspace';
export * from './contract/workspace-folder';
export * from './contract/jobs';
export * from './contract/rejects';
export * from './contract/ingest';
export * from './contract/query';
export * from './contract/remote';
export * from './contract/pull';
export * from './contract/library';
export * from './contract/lookup';
export * from './contract/address-data';
export * from './contract/about';

export const channels = {
  ...workspaceChannels,
  ...ingestChannels,
  ...jobChannels,
  ...queryChannels,
  ...remoteChannels,
  ...libraryChannels,
  ...pullChannels,
  ...lookupChannels,
  ...addressDataChannels,
  ...aboutChannels,
} as const;

/** What the engine emits. */
export const engineEvents = {
  ...jobEvents,
  ...pullEvents,
  ...remoteEvents,
} as const;

/** What a page hears: the engine's events and its host's. */
export const events = {
  ...engineEvents,
  ...workspaceFolderEvents,
} as const;

export type Channel = keyof typeof channels;
export type EventName = keyof typeof events;
export type EngineEventName = keyof typeof engineEvents;
/** What a caller passes (defaults may be left out). */
export type Input<C extends Channel> = z.input<(typeof channels)[C]['input']>;
/** What the engine receives after validation (defaults filled in). */
export type ParsedInput<C extends Channel> = z.output<(typeof channels)[C]['input']>;
export type Output<C extends Channel> = z.infer<(typeof channels)[C]['output']>;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** `query.run` → `queryRun`: the engine method that serves a channel. */
export type MethodName<C extends string> = C extends `${infer D}.${infer V}` ? `${D}${Capitalize<V>}` : never;
export function methodName<C extends Channel>(channel: C): MethodName<C> {
  const [domain, verb] = channel.split('.') as [string, string];
  return `${domain}${verb[0]!.toUpperCase()}${verb.slice(1)}` as MethodName<C>;
}

/** What the engine must implement: one method per channel. */
export type ContractHandlers = {
  [C in Channel as MethodName<C>]: (input: ParsedInput<C>) => Promise<Output<C>>;
};

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(channels, name);
}
