import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Generator, Pcg64 } from "../../../src/poc/rng/index.js";
import { fma, fmaExact } from "../../../src/poc/rng/fma.js";
import { log1pGlibc, log1pGlibcNoFma } from "../../../src/poc/rng/log1p.js";

// Python's math.log1p (glibc 2.36, x86-64 FMA build) on arguments where V8's Math.log1p differs.
const GLIBC_NOT_V8: [number, number][] = [
  [-0.20354152625325073, -0.22758028690233248], [0.24913975708817793, 0.22245512007033288],
  [-0.2685591878644169, -0.3127389748023136], [-0.6031962736202272, -0.9243135125374589],
  [-0.22006600146364086, -0.24854598013982004], [-0.3470730179301652, -0.426289975146552],
  [-0.3084857310748912, -0.36887149334674857], [-0.3377617124376583, -0.41212983681143256],
  [-0.27332308331685395, -0.3192733064393289], [-0.6479666074945186, -1.0440292428110562],
  [-0.325796763996701, -0.3942236764261206], [-0.3404036259199671, -0.4161271854615404],
];
// …and where glibc's plain (no-FMA) build differs from its FMA build.
const FMA_NOT_PLAIN: [number, number][] = [
  [-0.2730698059723553, -0.3189248252779538], [0.2691402885616929, 0.2383397331040239],
  [-0.2590795242763402, -0.29986197965626143], [-0.20921294585484584, -0.23472655839990456],
  [-0.19513834473553204, -0.21708487314697367], [-0.11463025891991807, -0.12174993469153435],
  [-0.20435621936625037, -0.22860370506767483], [-0.36756123274761965, -0.4581718737350903],
  [-0.23227865235166378, -0.26432844025557656], [-0.3103105584404794, -0.3715138674056983],
  [-0.3355826455640575, -0.408844781120641], [-0.3290647982979965, -0.3990827164172741],
];
// Boundaries of the argument reduction and the small/large ranges.
const SPECIAL: [number, number][] = [
  [0, 0], [1e-300, 1e-300], [-1e-300, -1e-300], [5e-324, 5e-324],
  [1.862645149230957e-9, 1.8626451474962336e-9], [9.313225746154785e-10, 9.313225741817976e-10],
  [-1.862645149230957e-9, -1.8626451509656805e-9], [0.41422, 0.34657814235925116],
  [0.4142135623730951, 0.3465735902799727], [-0.2929, -0.3465831803719419],
  [-0.29289321881345254, -0.34657359027997275], [1e300, 690.7755278982137],
  [9007199254740992, 36.7368005696771], [18014398509481984, 37.42994775023705],
  [-0.9999999999999999, -36.7368005696771],
];

describe("log1p as numpy gets it from glibc", () => {
  it.each([...GLIBC_NOT_V8, ...FMA_NOT_PLAIN, ...SPECIAL])("log1p(%s) = %s", (x, y) => {
    expect(log1pGlibc(x)).toBe(y);
  });

  it("distinguishes the FMA build from the plain build and from Math.log1p", () => {
    expect(GLIBC_NOT_V8.every(([x, y]) => Math.log1p(x) !== y)).toBe(true);
    expect(FMA_NOT_PLAIN.every(([x, y]) => log1pGlibcNoFma(x) !== y)).toBe(true);
    expect(log1pGlibc(-1)).toBe(-Infinity);
    expect(log1pGlibc(-2)).toBeNaN();
    expect(log1pGlibc(Infinity)).toBe(Infinity);
  });

  // Normal 9 832 157 of rngFromSeed("long", 1) is a tail draw whose value depends on log1p's last
  // bit: numpy 2.4 gives -3.9356636787368444, Math.log1p would give -3.935663678736844.
  it("reproduces a tail draw where Math.log1p would be one ulp off", () => {
    const state = { state: 0xa0e4895327053b3cf68c03878b0c5e41n, inc: 0xce1db8860f4e3bc03dd56a9fe92ca97bn, hasUint32: false, uinteger: 0 };
    const z = new Generator(new Pcg64(state)).standardNormal(3);
    expect(Array.from(z)).toEqual([-3.9356636787368444, -0.4999518665390492, 1.094676063749433]);
  });
});

describe("fma", () => {
  it("rounds once", () => {
    expect(fma(0.1, 10, -1)).toBe(5.551115123125783e-17);
    expect(0.1 * 10 - 1).toBe(0);
    expect(fma(1 + 2 ** -52, 1 + 2 ** -52, -1)).toBe(2 ** -51 + 2 ** -104);
    expect(fma(2, 3, 4)).toBe(10);
    expect(fma(Infinity, 1, 1)).toBe(Infinity);
  });

  it("agrees with exact BigInt rounding on 100 000 cancellation-heavy triples", () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed / 2 ** 32 - 0.5) * 2 ** ((seed % 41) - 20);
    };
    for (let i = 0; i < 100_000; i++) {
      const a = rnd();
      const b = rnd();
      const c = i % 2 ? -(a * b) : i % 3 ? -(a * b) * (1 + 2 ** -52) : rnd();
      if (fma(a, b, c) !== fmaExact(a, b, c)) expect.fail(`fma(${a}, ${b}, ${c})`);
    }
  });
});

function python(): boolean {
  try {
    execFileSync("python3", ["-c", "import math"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!process.env.GONKA_LONG || !python())("log1p against this machine's C library (GONKA_LONG)", () => {
  it("matches math.log1p on 200 000 arguments with one of glibc's two builds", () => {
    const py = `
import math, random, struct, sys
random.seed(3)
xs = []
for _ in range(50000):
    xs += [-random.random(), random.random() * 2 ** random.randint(-60, 60),
           -random.random() * 2 ** random.randint(-60, -1), -1 + random.random() * 2 ** random.randint(-50, -1)]
xs = [x for x in xs if x > -1]
sys.stdout.buffer.write(struct.pack("<%dd" % (2 * len(xs)), *xs, *[math.log1p(x) for x in xs]))
`;
    const buf = execFileSync("python3", ["-c", py], { maxBuffer: 1 << 26 });
    const all = new Float64Array(buf.buffer, buf.byteOffset, buf.length / 8);
    const n = all.length / 2;
    let fused = 0;
    let plain = 0;
    for (let i = 0; i < n; i++) {
      if (log1pGlibc(all[i]) === all[n + i]) fused++;
      if (log1pGlibcNoFma(all[i]) === all[n + i]) plain++;
    }
    expect(Math.max(fused, plain)).toBe(n);
  });
});
