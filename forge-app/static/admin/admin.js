import { invoke } from '@forge/bridge';

const state = document.getElementById('state');
document.getElementById('bind').addEventListener('submit', async (e) => {
  e.preventDefault();
  state.textContent = 'Connecting…';
  try {
    await invoke('bind', { code: document.getElementById('code').value });
    state.textContent = 'Connected: final estimates from Reckon will be written into this site.';
  } catch (err) {
    state.textContent = `Not connected: ${err.message}`;
  }
});
