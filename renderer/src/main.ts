import { mount } from 'svelte';
import App from './App.svelte';
import { claimWindowTabs, webLockOwners } from './lib/window-tabs';
import './styles/tokens.css';

// The window's tabs are known before the workbench opens, so it never shows another window's tabs first.
void Promise.resolve()
  .then(() => claimWindowTabs(localStorage, sessionStorage, webLockOwners()))
  .catch(() => null)
  .then((windowTabs) => mount(App, { target: document.getElementById('app')!, props: { windowTabs } }));
