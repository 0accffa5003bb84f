import { seededRandom } from '../src/domain/scheduler/random.ts';
import type { ScheduleInput, SchedulerMeeting } from '../src/domain/scheduler/types.ts';

export interface SessionShape {
  readonly participants: number;
  readonly meetings: number;
  readonly tables: number;
  readonly slots: number;
  readonly days: number;
  readonly seed?: number;
}

const LANGUAGES = ['zh', 'en', 'fr', 'es', 'ar', 'ru', 'pt'];

/**
 * A matchmaking session like the CIIE's: buyers (half of the participants) speak Chinese and maybe
 * English, exhibitors their own language and often English; two tables in three have an
 * interpreter (Chinese, English and one more language); one participant in ten is away for a few slots; a few meetings are morning-only.
 */
export function generateSession(shape: SessionShape): ScheduleInput {
  const random = seededRandom(shape.seed ?? 7);
  const perDay = Math.ceil(shape.slots / shape.days);
  const slots = Array.from({ length: shape.slots }, (_, i) => ({
    id: `slot-${i + 1}`,
    day: `day-${Math.floor(i / perDay) + 1}`,
    order: i % perDay,
    session: i % perDay < perDay / 2 ? 'morning' : 'afternoon',
  }));
  const tables = Array.from({ length: shape.tables }, (_, i) => ({
    id: `table-${i + 1}`,
    languages: i % 3 === 0 ? [] : ['zh', 'en', LANGUAGES[2 + (i % (LANGUAGES.length - 2))]!],
  }));
  const buyers = Math.floor(shape.participants / 2);
  const participants = Array.from({ length: shape.participants }, (_, i) => {
    const isBuyer = i < buyers;
    const own = isBuyer ? 'zh' : LANGUAGES[1 + Math.floor(random() * (LANGUAGES.length - 1))]!;
    const languages = random() < (isBuyer ? 0.4 : 0.7) && own !== 'en' ? [own, 'en'] : [own];
    const away = random() < 0.1 ? slots.filter(() => random() < 0.15).map((s) => s.id) : [];
    return { id: isBuyer ? `buyer-${i + 1}` : `exhibitor-${i + 1 - buyers}`, languages, unavailable: away };
  });
  const pairs = new Set<string>();
  const meetings: SchedulerMeeting[] = [];
  // Per-participant load stays under the slot count, or no scheduler could place everything.
  const load = new Int32Array(shape.participants);
  const cap = Math.floor(shape.slots * 0.6);
  while (meetings.length < shape.meetings) {
    const b = Math.floor(random() * buyers);
    const e = buyers + Math.floor(random() * (shape.participants - buyers));
    if (load[b]! >= cap || load[e]! >= cap || pairs.has(`${b}:${e}`)) continue;
    pairs.add(`${b}:${e}`);
    load[b]!++;
    load[e]!++;
    meetings.push({
      id: `meeting-${meetings.length + 1}`,
      participants: [participants[b]!.id, participants[e]!.id],
      score: Math.round((1 + random() * 99) * 10) / 10,
      ...(random() < 0.05 ? { sessions: ['morning'] } : {}),
    });
  }
  return { slots, tables, participants, meetings };
}
