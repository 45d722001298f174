// Brings Svelte's rune declarations ($state, $derived, …) into the project-wide `tsc` run for *.svelte.ts files.
import 'svelte';
