/**
 * The graphql-ws socket's state, as the banner and the live page see it. `resumes` counts reconnections after a
 * loss, so a subscription can restart from its last cursor each time the socket comes back.
 */
export interface SocketStatus {
  state: 'connecting' | 'open' | 'lost' | 'refused';
  /** Close reason of a loss or refusal, as the gateway sent it. */
  reason: string;
  resumes: number;
}

export interface SocketStatusStore {
  get(): SocketStatus;
  subscribe(listener: () => void): () => void;
  connected(): void;
  lost(reason: string): void;
  refused(reason: string): void;
}

export function createSocketStatus(): SocketStatusStore {
  let status: SocketStatus = { state: 'connecting', reason: '', resumes: 0 };
  const listeners = new Set<() => void>();
  const set = (next: SocketStatus) => {
    status = next;
    for (const listener of listeners) listener();
  };
  return {
    get: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connected() {
      const wasLost = status.state === 'lost' || status.state === 'refused';
      set({ state: 'open', reason: '', resumes: status.resumes + (wasLost ? 1 : 0) });
    },
    lost(reason) {
      if (status.state !== 'refused') set({ ...status, state: 'lost', reason });
    },
    refused(reason) {
      set({ ...status, state: 'refused', reason });
    },
  };
}
