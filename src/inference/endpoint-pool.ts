/**
 * Order in which transfer agents are tried: rotating (or fixed) start, and agents that failed
 * recently moved to the back until their cool-down ends.
 */
import type { TransferAgent } from "./discovery.js";

/** How `gonkaFetch` picks the first agent of each request. */
export type EndpointStrategy = "round-robin" | "ordered";

/** Rotation plus a per-URL cool-down after failures. */
export class EndpointPool {
  private next: number;
  private readonly coolingUntil = new Map<string, number>();

  constructor(
    private readonly strategy: EndpointStrategy,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.next = strategy === "round-robin" ? Math.floor(Math.random() * 1_000_000) : 0;
  }

  /** The agents to try for one request, best first. */
  order(agents: readonly TransferAgent[]): TransferAgent[] {
    if (agents.length === 0) return [];
    const start = this.strategy === "round-robin" ? this.next++ % agents.length : 0;
    const rotated = [...agents.slice(start), ...agents.slice(0, start)];
    const t = this.now();
    const healthy = rotated.filter((a) => (this.coolingUntil.get(a.url) ?? 0) <= t);
    const cooling = rotated.filter((a) => (this.coolingUntil.get(a.url) ?? 0) > t);
    return [...healthy, ...cooling];
  }

  /** Records a failure (429, 5xx, network error): the agent goes to the back for `cooldownMs`. */
  markFailed(url: string): void {
    if (this.cooldownMs > 0) this.coolingUntil.set(url, this.now() + this.cooldownMs);
  }

  /** Records a success: the agent is healthy again. */
  markHealthy(url: string): void {
    this.coolingUntil.delete(url);
  }
}
