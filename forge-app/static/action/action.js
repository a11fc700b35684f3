import { invoke, view } from '@forge/bridge';

const state = document.getElementById('state');
try {
  const r = await invoke('requestEstimate');
  state.textContent = r.added ? 'Added to Reckon’s “Requests from Jira” session.' : 'Already in Reckon; its details were refreshed.';
} catch (err) {
  state.textContent = `Reckon could not take it: ${err.message}`;
}
setTimeout(() => view.close(), 2500);
