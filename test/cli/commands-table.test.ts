import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, buildProgram } from '../../cli/main.ts';

describe('the command table of cli/main.ts', () => {
  it.each(COMMANDS.map((entry) => [entry.name, entry] as const))(
    '%s: the summary in the table is the description its module registers',
    async (name, entry) => {
      const program = new Command();

      (await entry.load()).register(program);

      expect(program.commands.map((command) => command.name())).toEqual([name]);
      expect(program.commands[0]!.description()).toBe(entry.summary);
    },
  );

  it('registers in full only the command asked for, and every other one by name', async () => {
    const program = await buildProgram(['preview']);

    expect(program.commands.map((command) => command.name())).toEqual(COMMANDS.map((entry) => entry.name));
    expect(
      program.commands.find((command) => command.name() === 'preview')!.options.map((option) => option.long),
    ).toContain('--html');
    expect(program.commands.find((command) => command.name() === 'status')!.options).toEqual([]);
  });
});
