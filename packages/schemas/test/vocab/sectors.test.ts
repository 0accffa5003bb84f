import { describe, expect, it } from 'vitest';
import { isSectorCode, SECTOR_AREA_CODES, SECTOR_AREAS, SECTOR_CODES, sectorArea, SectorCode, sectorNode, sectorNodes } from '../../src/vocab/sectors.ts';

describe('sector taxonomy', () => {
  it('has the six business-exhibition areas and the incubation zone', () => {
    expect(SECTOR_AREA_CODES).toEqual(['food', 'auto', 'tech', 'consumer', 'medical', 'services', 'incubation']);
  });

  it('has 4 to 8 categories per area, each coded under its area', () => {
    for (const area of SECTOR_AREAS) {
      expect(area.categories.length).toBeGreaterThanOrEqual(4);
      expect(area.categories.length).toBeLessThanOrEqual(8);
      for (const c of area.categories) expect(c.code).toMatch(new RegExp(`^${area.code}\\.[a-z][a-z0-9_]*$`));
    }
  });

  it('has the four incubation tracks', () => {
    const incubation = SECTOR_AREAS.find((a) => a.code === 'incubation');
    expect(incubation?.categories.map((c) => c.code)).toEqual([
      'incubation.digital_economy',
      'incubation.green_low_carbon',
      'incubation.life_sciences',
      'incubation.manufacturing_technology',
    ]);
  });

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
