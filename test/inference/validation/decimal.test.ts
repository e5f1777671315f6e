import { describe, expect, it } from "vitest";
import { Decimal, decimalFromFloat, lnDecimal } from "../../../src/inference/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import { big, f64hex, vectors } from "./vectors.js";

describe("decimalFromFloat (decimalFromFloat vectors)", () => {
  const cases = vectors.decimalFromFloat as { float: number; float_hex: string; value_decimal: { value: number | bigint; exponent: number } }[];
  it("has the 25 vectors", () => expect(cases).toHaveLength(25));

  it.each(cases.map((c) => [c.float_hex, c] as const))("%s: shortest round-trip digits, trailing zeros dropped", (_h, c) => {
    expect(f64hex(c.float)).toBe(c.float_hex);
    expect(decimalFromFloat(c.float)).toEqual({ value: big(c.value_decimal.value), exponent: c.value_decimal.exponent });
    // and the encoding reads back as the same double
    expect(new Decimal(big(c.value_decimal.value), c.value_decimal.exponent).toNumber()).toBe(c.float);
  });

  it("100 is { value: 1, exponent: 2 } (not { 100, 0 }); negatives keep their sign", () => {
    expect(decimalFromFloat(100)).toEqual({ value: 1n, exponent: 2 });
    expect(decimalFromFloat(-0.25)).toEqual({ value: -25n, exponent: -2 });
    expect(decimalFromFloat(1e21)).toEqual({ value: 1n, exponent: 21 });
  });

  it("refuses NaN and infinities with a typed error", () => {
    expect(() => decimalFromFloat(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => decimalFromFloat(Infinity)).toThrow(/finite/);
    expect(() => decimalFromFloat("0.5" as unknown as number)).toThrow(InvalidArgumentError);
  });
});

describe("Decimal (shopspring semantics)", () => {
  it("divides at 16 digits, ties away from zero, and prints like shopspring's String()", () => {
    expect(Decimal.from(1).div(3).toString()).toBe("0.3333333333333333");
    expect(Decimal.from(2).div(3).toString()).toBe("0.6666666666666667");
    expect(Decimal.from(-2).div(3).toString()).toBe("-0.6666666666666667");
    expect(Decimal.from(1).div(4).exponent).toBe(-16);
    expect(new Decimal(5n, -17).round(16).toString()).toBe("0.0000000000000001");
    expect(new Decimal(-5n, -17).round(16).toString()).toBe("-0.0000000000000001");
    expect(new Decimal(1n, 2).toString()).toBe("100");
    expect(new Decimal(940n, -3).toString()).toBe("0.94");
    expect(new Decimal(0n, 1).toString()).toBe("0");
  });

  it("adds, multiplies and compares exactly, keeping exponents as computed", () => {
    const a = Decimal.from("0.1").add("0.2");
    expect(a.toString()).toBe("0.3");
    expect(a.eq("0.30")).toBe(true);
    expect(Decimal.from("0.95").mul("0.9897959183673469").toString()).toBe("0.940306122448979555");
    expect(new Decimal(693147180560n, -12).mul(3n)).toEqual(new Decimal(2079441541680n, -12));
    expect(Decimal.from("1.99").floor().toString()).toBe("1");
    expect(Decimal.from("-1.01").floor().toString()).toBe("-2");
    expect(Decimal.from("0.6163000000000001").truncate(2).toString()).toBe("0.61");
    expect(Decimal.from("1e-6").toString()).toBe("0.000001");
  });

  it("natural log at 12 digits", () => {
    expect(lnDecimal(Decimal.from(2), 12).toString()).toBe("0.69314718056");
    expect(lnDecimal(Decimal.from("0.5"), 12).toString()).toBe("-0.69314718056");
    expect(lnDecimal(Decimal.from("1e-30"), 12).toString()).toBe("-69.077552789821");
    expect(lnDecimal(Decimal.from(1), 12).toString()).toBe("0");
    expect(() => lnDecimal(Decimal.ZERO, 12)).toThrow(InvalidArgumentError);
  });

  it("refuses bad input with typed errors", () => {
    expect(() => Decimal.from(0.5)).toThrow(InvalidArgumentError);
    expect(() => Decimal.from("abc")).toThrow(InvalidArgumentError);
    expect(() => Decimal.from(1).div(0)).toThrow(/division by zero/);
  });
});
