import { describe, expect, it } from 'vitest';
import { isSectorCode, SECTOR_AREAS, SECTOR_CODES, sectorArea, SectorCode, sectorNode, sectorNodes } from '../../src/vocab/sectors.ts';

describe('sector taxonomy', () => {
  it.each(['food', 'auto', 'tech', 'consumer', 'medical', 'services', 'incubation'])('accepts the area %s, its own area', (code) => {
    expect(sectorArea(SectorCode.parse(code))).toBe(code);
  });

  it('has 4 to 8 categories per area, each coded under its area', () => {
    for (const area of SECTOR_AREAS) {
      expect(area.categories.length).toBeGreaterThanOrEqual(4);
      expect(area.categories.length).toBeLessThanOrEqual(8);
      for (const c of area.categories) expect(c.code).toMatch(new RegExp(`^${area.code}\\.[a-z][a-z0-9_]*$`));
    }
  });

  it.each(['incubation.digital_economy', 'incubation.green_low_carbon', 'incubation.life_sciences', 'incubation.manufacturing_technology'])(
    'accepts the incubation track %s, in the incubation zone',
    (code) => {
      expect(isSectorCode(code)).toBe(true);
      expect(sectorArea(SectorCode.parse(code))).toBe('incubation');
    },
  );

  it('labels every node in English and Chinese, with unique codes', () => {
    for (const node of sectorNodes()) {
      expect(node.en).toMatch(/^[A-Z]/);
      expect(node.zh).toMatch(/^[\p{Script=Han}及]+$/u);
    }
    expect(new Set(SECTOR_CODES).size).toBe(SECTOR_CODES.length);
  });

  it('accepts area and category codes and nothing else', () => {
    for (const code of ['food', 'tech.integrated_circuits', 'tech.ai', 'medical.devices', 'incubation.life_sciences']) {
      expect(SectorCode.safeParse(code).success).toBe(true);
      expect(isSectorCode(code)).toBe(true);
    }
    for (const code of ['tech.', 'food.caviar', 'Food', 'incubation.space', '', 42]) {
      expect(SectorCode.safeParse(code).success).toBe(false);
      expect(isSectorCode(code)).toBe(false);
    }
  });

  it('finds the area of a code', () => {
    expect(sectorArea('tech.ai')).toBe('tech');
    expect(sectorArea('medical')).toBe('medical');
    expect(sectorArea('incubation.green_low_carbon')).toBe('incubation');
    expect(sectorNode('tech.integrated_circuits').zh).toBe('集成电路');
  });
});
