import type { Fault, FaultContext } from './fault.ts';

/** Every scanner's clock off by `skewMinutes` (either sign) for the fault's length. */
export function clockSkew(skewMinutes: number, holdMs: number): Fault {
  return {
    kind: 'clock-skew',
    holdMs,
    async inject(ctx: FaultContext) {
      ctx.clocks.skewMs = skewMinutes * 60_000;
      return `scanner clocks ${skewMinutes > 0 ? '+' : ''}${skewMinutes} min for ${holdMs / 1000} s`;
    },
    async heal(ctx: FaultContext) {
      ctx.clocks.skewMs = 0;
    },
  };
}
