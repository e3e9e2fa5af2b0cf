import { describe, expect, test } from 'vitest';
import { elixirUrl, kernelVersionOf } from './protocol';

describe('elixirUrl', () => {
  test('links a 6.18 file at v6.18, with its line', () => {
    expect(elixirUrl('mm/migrate.c', 853)).toBe('https://elixir.bootlin.com/linux/v6.18/source/mm/migrate.c#L853');
  });
  test('links mm/balloon.c, which 6.18 does not have (linux-7.0 cites it), at v7.0', () => {
    expect(kernelVersionOf('mm/balloon.c')).toBe('v7.0');
    expect(elixirUrl('mm/balloon.c')).toBe('https://elixir.bootlin.com/linux/v7.0/source/mm/balloon.c');
  });
});
