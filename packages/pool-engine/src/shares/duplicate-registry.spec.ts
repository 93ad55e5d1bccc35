import { DuplicateRegistry } from './duplicate-registry';

describe('DuplicateRegistry', () => {
  describe('when a key is registered twice under one job', () => {
    it('reports the second as a duplicate, and not under another job', () => {
      const registry = new DuplicateRegistry(10);
      expect(registry.register('1', 'k')).toBe(true);
      expect(registry.register('1', 'k')).toBe(false);
      expect(registry.register('2', 'k')).toBe(true);
    });
  });

  describe('when a job is dropped', () => {
    it('forgets its keys', () => {
      const registry = new DuplicateRegistry(10);
      registry.register('1', 'k');
      registry.register('2', 'k');
      registry.drop('1');
      expect(registry.jobCount).toBe(1);
      expect(registry.register('1', 'k')).toBe(true);
    });
  });

  describe('when a job holds more keys than the bound', () => {
    it('forgets the oldest key first', () => {
      const registry = new DuplicateRegistry(2);
      registry.register('1', 'a');
      registry.register('1', 'b');
      registry.register('1', 'c');
      expect(registry.register('1', 'c')).toBe(false);
      expect(registry.register('1', 'b')).toBe(false);
      expect(registry.register('1', 'a')).toBe(true);
    });
  });
});
