// For the project-wide `tsc` run, which does not read .svelte files (svelte-check does, with real types).
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, never>>;
  export default component;
}

declare module '*.css';
