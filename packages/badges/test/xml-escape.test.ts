import { describe, expect, it } from 'vitest';
import { escapeXml } from '../src/xml-escape.ts';

describe('escapeXml', () => {
  it('escapes markup characters in text and attributes', () => {
    expect(escapeXml(`<script>alert("x")</script> & 'co'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;');
  });

  it('keeps every script and astral character, drops what XML cannot hold', () => {
    expect(escapeXml('王小明 Zoë 𠮷野家 🎫')).toBe('王小明 Zoë 𠮷野家 🎫');
    expect(escapeXml('a\u0000b\u001bc\uFFFEd\uD800e\tf')).toBe('abcde\tf');
  });
});
