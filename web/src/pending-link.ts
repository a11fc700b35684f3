// A link token (an invite, a portal link) that waits in this tab's storage while the person signs
// up or in, then is handed out once when they are back.
export interface PendingLink { take(): string | null; keep(token: string): void }

export function pendingLink(key: string): PendingLink {
  return {
    take() {
      try {
        const token = sessionStorage.getItem(key);
        sessionStorage.removeItem(key);
        return token;
      } catch { return null; }
    },
    keep(token) {
      try { sessionStorage.setItem(key, token); } catch { /* the person can open the link again */ }
    },
  };
}
