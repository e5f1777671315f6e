import { describe, expect, it } from "vitest";
import { createTimestampClock, parseRfc3339Ns, wallClockNs } from "../../src/inference/index.js";
import { InvalidArgumentError } from "../../src/errors.js";

describe("timestamp clock", () => {
  it("is strictly increasing and unique even when the wall clock stands still or steps back", () => {
    let wall = 1_000_000n;
    const clock = createTimestampClock(() => wall);
    const seen = new Set<bigint>();
    let prev = 0n;
    for (let i = 0; i < 50_000; i++) {
      if (i === 20_000) wall -= 5_000_000n; // NTP step backwards
      if (i % 1000 === 0) wall += 1n;
      const t = clock.next();
      expect(t > prev).toBe(true);
      seen.add(t);
      prev = t;
    }
    expect(seen.size).toBe(50_000);
  });

  it("follows the wall clock when it moves forward faster than the counter", () => {
    let wall = 5_000_000_000n;
    const clock = createTimestampClock(() => wall);
    expect(clock.next()).toBe(5_000_000_000n);
    wall += 1_000n;
    expect(clock.next()).toBe(5_000_001_000n);
  });

  it("correct() aligns to a reference (block) time, and a correction back in time is followed (values stay unique)", () => {
    let wall = 10_000_000_000n;
    const clock = createTimestampClock(() => wall);
    clock.correct(70_000_000_000n); // chain is 60 s ahead
    expect(clock.offsetNs).toBe(60_000_000_000n);
    expect(clock.next()).toBe(70_000_000_000n);
    wall += 2_000n;
    expect(clock.next()).toBe(70_000_002_000n);
    clock.correct(wall); // back to wall time: the node would refuse the old, later time
    expect(clock.next()).toBe(wall);
    expect(clock.next()).toBe(wall + 1n); // the wall clock stood still: still unique
  });

  it("the default wall clock is in nanoseconds near Date.now()", () => {
    const ms = BigInt(Date.now());
    const ns = wallClockNs();
    expect(ns / 1_000_000n - ms < 50n && ms - ns / 1_000_000n < 50n).toBe(true);
  });
});

describe("RFC 3339 block times", () => {
  it("parses nanosecond, millisecond, no-fraction and offset forms", () => {
    expect(parseRfc3339Ns("2025-11-21T12:00:00.123456789Z")).toBe(1763726400123456789n);
    expect(parseRfc3339Ns("2025-11-21T12:00:00.5Z")).toBe(1763726400500000000n);
    expect(parseRfc3339Ns("2025-11-21T12:00:00Z")).toBe(1763726400000000000n);
    expect(parseRfc3339Ns("2025-11-21T14:00:00.000000001+02:00")).toBe(1763726400000000001n);
    expect(parseRfc3339Ns("1970-01-01T00:00:00.000000042Z")).toBe(42n);
  });
  it("rejects what is not RFC 3339", () => {
    expect(() => parseRfc3339Ns("yesterday")).toThrow(InvalidArgumentError);
    expect(() => parseRfc3339Ns("2025-11-21 12:00:00Z")).toThrow(InvalidArgumentError);
  });
});
