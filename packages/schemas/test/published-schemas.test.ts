import { describe, expect, it } from 'vitest';
import { publishedSchemaIndex, publishedSchemas } from '../src/published-schemas.ts';
import { TOPICS } from '../src/topics.ts';

describe('published schema files', () => {
  it('are one file per event type and version', () => {
    const files = publishedSchemas().map((s) => s.file);
    expect(new Set(files).size).toBe(files.length);
    expect(files).toContain('scan.rejected.v1.json');
    expect(files).toContain('meeting.no_show.v1.json');
  });

  it('are indexed by topic, so a reader can pick the file from the type header', () => {
    const index = publishedSchemaIndex() as { topics: Record<string, { key: string; events: Array<{ type: string; file: string }> }> };
    expect(Object.keys(index.topics).sort()).toEqual(
      Object.values(TOPICS)
        .map((t) => t.name)
        .sort(),
    );
    expect(index.topics['scanning.scans.v1']).toMatchObject({
      key: 'badgeId',
      events: [
        { type: 'scan.accepted', file: 'scan.accepted.v1.json' },
        { type: 'scan.rejected', file: 'scan.rejected.v1.json' },
        { type: 'scan.annulled', file: 'scan.annulled.v1.json' },
      ],
    });
    const indexed = Object.values(index.topics).flatMap((t) => t.events.map((e) => e.file));
    expect(indexed.sort()).toEqual(
      publishedSchemas()
        .map((s) => s.file)
        .sort(),
    );
  });
});
