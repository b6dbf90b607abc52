export interface CounterSnapshot {
  /** Token requests that named a client, whether or not they got a token. */
  tokenRequests: Record<string, number>;
  tokensIssued: Record<string, number>;
  /** Every request to the token endpoint, including those that named no client. */
  tokenRequestsTotal: number;
  apiRequests: Record<string, number>;
  apiRequestsTotal: number;
}

export class Counters {
  private snapshotData: CounterSnapshot = Counters.empty();

  private static empty(): CounterSnapshot {
    return { tokenRequests: {}, tokensIssued: {}, tokenRequestsTotal: 0, apiRequests: {}, apiRequestsTotal: 0 };
  }

  tokenRequest(): void {
    this.snapshotData.tokenRequestsTotal++;
  }

  tokenClient(clientId: string, issued: boolean): void {
    bump(this.snapshotData.tokenRequests, clientId);
    if (issued) bump(this.snapshotData.tokensIssued, clientId);
  }

  apiRequest(): void {
    this.snapshotData.apiRequestsTotal++;
  }

  apiClient(clientId: string): void {
    bump(this.snapshotData.apiRequests, clientId);
  }

  snapshot(): CounterSnapshot {
    return structuredClone(this.snapshotData);
  }

  reset(): void {
    this.snapshotData = Counters.empty();
  }
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}
